using Dunwell.Data;
﻿using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dunwell.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {


            // Append-only at the database too: UPDATE, DELETE and TRUNCATE on these tables raise.
            migrationBuilder.Sql(AppendOnlyTriggers.PostgresFunction);
            foreach (var table in new[] { "ledger_entries", "interactions", "audit_events" })
            {
                migrationBuilder.Sql(AppendOnlyTriggers.Postgres(table));
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS dunwell_refuse_rewrite() CASCADE;");


        }
    }
}
