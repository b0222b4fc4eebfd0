"""pgbench scripts that run a statement the way chat-service sends it: prepared, with $n parameters. Each script
binds the parameters by a \\gset of literals (one trivial round trip more per transaction), then runs the
statement with $n as :pn. One way to write them, for every benchmark.

Usage:
  pgbench-scripts.py from-log SERVICE_LOG OUT_DIR STATEMENT_FILE
      the search statements chat-service logged (SearchRepository at DEBUG: "search statement {json}"), one
      script each: OUT_DIR/q1.sql ...; the statement to STATEMENT_FILE (search-bench.sh)
  pgbench-scripts.py one STATEMENT_FILE PARAMETERS_JSON
      one script for the statement in STATEMENT_FILE and the JSON array of its parameters, to stdout
      (db-sizing.sh, space-layouts.sh)
  pgbench-scripts.py many STATEMENT_FILE PARAMETERS_JSONL OUT_DIR
      as `one` for each line of PARAMETERS_JSONL (a JSON array of parameters a line): OUT_DIR/q1.sql ...
      (university-bench.sh: one process instead of one per script)
  pgbench-scripts.py search-statement [VECTORS_TABLE] [--in-course]
      chat-service's search statement (SearchRepository.SEARCH_TEMPLATE, read from its source) over VECTORS_TABLE
      (default course_vector_1, the first space), its nearest chunks by the HNSW graph (NEAREST_BY_GRAPH) or, with
      --in-course, by comparing each chunk of the course searched (NEAREST_IN_COURSE), to stdout (db-sizing.sh,
      university-bench.sh)
  pgbench-scripts.py java-text JAVA_FILE NAME
      the Java text block constant NAME of JAVA_FILE (a path from the repository's root), to stdout
      (university-bench.sh: the insights report's statements)
"""
import json
import pathlib
import re
import sys
import textwrap

MARKER = "search statement "


def literal(value):
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "'true'" if value else "'false'"
    if isinstance(value, list):  # text[] in PostgreSQL's array syntax
        value = "{" + ",".join('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in value) + "}"
    return "'" + str(value).replace("'", "''") + "'"


def script(sql, parameters):
    # The vector: chat-service sends a real[] in binary, which pgbench cannot; as text, a real[] is parsed element by
    # element (array_in: pgbench's mean went from 9.0-9.5 to 10.8 ms at 1,536 floats and 20,000 chunks), so pgbench
    # binds pgvector's own text form instead, the server's fastest path for a text client: the floor stays the
    # database's best.
    if parameters and isinstance(parameters[0], list):
        parameters = ["[" + ",".join(repr(float(v)) for v in parameters[0]) + "]"] + list(parameters[1:])
        sql = sql.replace("$1::real[]::vector", "$1::vector")
    # A NULL is written into the statement: pgbench's \gset turns a NULL into an empty string, and "source IS NULL
    # OR source = ''" then matches no chunk at all (an empty search that took 0.07 ms against the service's 8 ms).
    bind = ", ".join(f"{literal(v)} AS p{n}" for n, v in enumerate(parameters, 1) if v is not None)
    statement = re.sub(r"\$(\d+)", lambda m: "NULL" if parameters[int(m.group(1)) - 1] is None
                       else ":p" + m.group(1), sql).rstrip().rstrip(";") + ";\n"
    return (f"SELECT {bind} \\gset\n" if bind else "") + statement


def from_log(log, out, statement_file):
    with open(log, encoding="utf-8") as f:
        searches = [json.loads(line[line.index(MARKER) + len(MARKER):]) for line in f if MARKER + "{" in line]
    if not searches:
        sys.exit("pgbench-scripts: the service logged no search statement (is SearchRepository's DEBUG log on?)")
    sql = searches[0]["sql"]
    with open(statement_file, "w", encoding="utf-8") as f:
        f.write(sql)
    for i, search in enumerate(searches, 1):
        if search["sql"] != sql:
            sys.exit("pgbench-scripts: the service sent more than one statement")
        with open(f"{out}/q{i}.sql", "w", encoding="utf-8") as f:
            f.write(script(sql, search["parameters"]))


def java_text(path, name):
    src = (pathlib.Path(__file__).resolve().parents[2] / path).read_text(encoding="utf-8")
    start = src.index(name + ' = """') + len(name + ' = """')
    # A Java text block: \\ is one backslash there.
    return textwrap.dedent(src[start:src.index('""";', start)].replace("\\\\", "\\")).strip()


def search_statement(vectors, in_course=False):
    path = "chat-service/src/main/java/org/coursebot/chat/search/SearchRepository.java"
    nearest = java_text(path, "NEAREST_IN_COURSE" if in_course else "NEAREST_BY_GRAPH")
    return java_text(path, "SEARCH_TEMPLATE").replace("{nearest}", nearest).replace("{vectors}", vectors)


def main(args):
    if len(args) == 4 and args[0] == "from-log":
        from_log(*args[1:])
    elif len(args) == 3 and args[0] == "one":
        with open(args[1], encoding="utf-8") as f:
            sys.stdout.write(script(f.read(), json.loads(args[2])))
    elif len(args) == 4 and args[0] == "many":
        with open(args[1], encoding="utf-8") as f:
            sql = f.read()
        with open(args[2], encoding="utf-8") as f:
            for i, line in enumerate(f, 1):
                with open(f"{args[3]}/q{i}.sql", "w", encoding="utf-8") as out:
                    out.write(script(sql, json.loads(line)))
    elif 1 <= len(args) <= 3 and args[0] == "search-statement":
        rest = [a for a in args[1:] if a != "--in-course"]
        print(search_statement(rest[0] if rest else "course_vector_1", "--in-course" in args[1:]))
    elif len(args) == 3 and args[0] == "java-text":
        print(java_text(args[1], args[2]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
