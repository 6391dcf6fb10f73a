using Dunwell.Data;
﻿using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Dunwell.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "data_protection_keys",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    friendly_name = table.Column<string>(type: "text", nullable: true),
                    xml = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_data_protection_keys", x => x.id);
                });

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

            migrationBuilder.DropTable(
                name: "data_protection_keys");
        }
    }
}
