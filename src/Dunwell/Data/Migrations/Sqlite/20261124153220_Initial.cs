using Dunwell.Data;
﻿using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dunwell.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {


            // Append-only at the database too: UPDATE and DELETE on these tables abort.
            foreach (var table in new[] { "ledger_entries", "interactions", "audit_events" })
            {
                migrationBuilder.Sql(AppendOnlyTriggers.Sqlite(table));
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {

        }
    }
}
