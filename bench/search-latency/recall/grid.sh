P="psql -h 127.0.0.1 -U postgres -d recall_scratch -qAt"
for cfg in "16 64" "16 128" "16 200" "24 64" "24 128" "24 200" "32 64" "32 128" "32 200"; do
  set -- $cfg
  $P -c "DROP INDEX IF EXISTS t_hnsw"
  s=$(date +%s.%N)
  $P -c "CREATE INDEX t_hnsw ON t USING hnsw (embedding vector_cosine_ops) WITH (m=$1, ef_construction=$2)"
  e=$(date +%s.%N)
  sz=$($P -c "select pg_relation_size('t_hnsw')")
  echo "BUILD m=$1 efc=$2 secs=$(echo "$e - $s" | bc) bytes=$sz"
  for ef in 40 100 200 400; do echo -n "m=$1 efc=$2 "; node measure.js ef=$ef order=off; done
done
