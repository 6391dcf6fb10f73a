#!/usr/bin/env bash
# Until the first release the schema is one "Initial" migration per provider. After a model change,
# this regenerates both and adds back the append-only triggers (the database half of append-only).
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf src/Dunwell/Data/Migrations src/Dunwell/Dunwell
dotnet tool restore >/dev/null
for pair in "SqliteDunwellDb Sqlite" "PostgresDunwellDb Postgres"; do
  set -- $pair
  # No --namespace: with it EF writes the model snapshot elsewhere, and the next run sees no change.
  dotnet ef migrations add Initial --project src/Dunwell --context "$1" --output-dir "Data/Migrations/$2" >/dev/null
done
python3 - <<'PY'
import glob
tables = 'new[] { "ledger_entries", "interactions", "audit_events", "payment_references" }'
for path, kind in [(glob.glob('src/Dunwell/Data/Migrations/Sqlite/*_Initial.cs')[0], 'sqlite'),
                   (glob.glob('src/Dunwell/Data/Migrations/Postgres/*_Initial.cs')[0], 'pg')]:
    s = open(path).read()
    down = s.index('        protected override void Down')
    end_up = s.rindex('        }', 0, down)
    if kind == 'sqlite':
        add = f'''
            // Append-only at the database too: UPDATE, DELETE, and an INSERT that would REPLACE a row on these tables abort.
            foreach (var table in {tables})
            {{
                migrationBuilder.Sql(AppendOnlyTriggers.Sqlite(TargetModel, table));
            }}
'''
    else:
        add = f'''
            // Append-only at the database too: UPDATE (upserts and MERGE too), DELETE and TRUNCATE on these tables raise.
            migrationBuilder.Sql(AppendOnlyTriggers.PostgresFunction);
            foreach (var table in {tables})
            {{
                migrationBuilder.Sql(AppendOnlyTriggers.Postgres(table));
            }}
'''
    s = s[:end_up] + add + s[end_up:]
    if kind == 'sqlite':
        # chain_heads (the audit subjects' heads) is read and written by its text key alone: WITHOUT ROWID keeps it one
        # B-tree instead of a table plus its key's index (bench/RESULTS.md).
        start = s.index('            migrationBuilder.CreateTable(\n                name: "chain_heads",')
        stop = s.index('                });\n', start) + len('                });\n')
        s = s[:start] + ('            migrationBuilder.Sql("CREATE TABLE chain_heads (chain TEXT NOT NULL CONSTRAINT pk_chain_heads PRIMARY KEY, '
                         'length INTEGER NOT NULL, last_id INTEGER NOT NULL, last_hash BLOB NOT NULL) WITHOUT ROWID;");\n') + s[stop:]
    if kind == 'pg':
        k = s.index('{', s.index('        protected override void Down')) + 1
        s = s[:k] + '\n            migrationBuilder.Sql("DROP FUNCTION IF EXISTS dunwell_refuse_rewrite() CASCADE;");\n' + s[k:]
    s = 'using Dunwell.Data;\n' + s.lstrip('\ufeff')
    open(path, 'w').write(s)
PY
echo "Regenerated Initial migrations for SQLite and PostgreSQL."
