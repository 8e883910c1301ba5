# incremental insert of 10k rows into a table already holding 15.4k rows and the index (one session)
P="psql -h 127.0.0.1 -U postgres -d recall_scratch -qAt"
for cfg in "$@"; do
  set -- $(echo $cfg | tr , ' ')
  $P -c "DROP TABLE IF EXISTS ti; CREATE TABLE ti (id int PRIMARY KEY, embedding vector(384)); INSERT INTO ti SELECT * FROM t WHERE id < 15406; CREATE INDEX ON ti USING hnsw (embedding vector_cosine_ops) WITH (m=$1, ef_construction=$2)"
  s=$(date +%s.%N)
  $P -c "INSERT INTO ti SELECT * FROM t WHERE id >= 15406"
  e=$(date +%s.%N)
  echo "INSERT10k m=$1 efc=$2 secs=$(echo "$e - $s" | bc)"
done
$P -c "DROP TABLE IF EXISTS ti"
