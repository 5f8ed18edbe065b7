#!/bin/bash
# The `setup` service of docker-compose.yml, in the Elasticsearch image as root:
#  1. a CA and a certificate for each node (elasticsearch-certutil), kept in the
#     es-certs volume and made only once;
#  2. the CA's certificate alone in the es-ca volume, which Panorama's
#     containers mount: they verify the nodes and never see a private key;
#  3. once the cluster answers: the `panorama` role (panorama-role.json beside
#     this file) and the `panorama` user with PANORAMA_ELASTICSEARCH_PASSWORD,
#     set through the REST API as the `elastic` superuser.
# Running it again keeps the certificates and sets the role and the password
# again (so changing the password in .env and `docker compose up` applies it).
# No pipefail: `curl | grep -q` would fail whenever grep stops reading early.
set -eu
: "${ELASTIC_PASSWORD:?set ELASTIC_PASSWORD in .env (see .env.example)}"
: "${PANORAMA_ELASTICSEARCH_PASSWORD:?set PANORAMA_ELASTICSEARCH_PASSWORD in .env (see .env.example)}"

certs=config/certs
nodes="es01 es02 es03"

if [ ! -f "$certs/ca/ca.crt" ]; then
  echo "creating the CA"
  bin/elasticsearch-certutil ca --silent --pem --out "$certs/ca.zip"
  unzip -q -o "$certs/ca.zip" -d "$certs"
fi
if [ ! -f "$certs/es03/es03.crt" ]; then
  echo "creating the node certificates"
  {
    echo "instances:"
    for node in $nodes; do
      printf '  - name: %s\n    dns: [%s, localhost]\n    ip: [127.0.0.1]\n' "$node" "$node"
    done
  } > "$certs/instances.yml"
  bin/elasticsearch-certutil cert --silent --pem --in "$certs/instances.yml" --out "$certs/certs.zip" \
    --ca-cert "$certs/ca/ca.crt" --ca-key "$certs/ca/ca.key"
  unzip -q -o "$certs/certs.zip" -d "$certs"
fi
# Elasticsearch runs as uid 1000 in group 0: readable by the group, by nobody else.
chown -R root:root "$certs"
find "$certs" -type d -exec chmod 750 {} +
find "$certs" -type f -exec chmod 640 {} +
cp "$certs/ca/ca.crt" /panorama-ca/ca.crt
chmod 644 /panorama-ca/ca.crt
echo "certificates ready"

es() {
  curl -s --cacert "$certs/ca/ca.crt" -u "elastic:$ELASTIC_PASSWORD" \
    -H 'Content-Type: application/json' "$@"
}

echo "waiting for the cluster"
until es "https://es01:9200/_cluster/health?wait_for_status=yellow&timeout=30s" \
  | grep -q '"status":"\(green\|yellow\)"'; do
  sleep 5
done

echo "setting the panorama role"
until es -X PUT https://es01:9200/_security/role/panorama \
  --data-binary @/setup/panorama-role.json | grep -q '"role"'; do
  sleep 5
done

echo "setting the panorama user"
user_body=$(printf '{"password":"%s","roles":["panorama"],"full_name":"Panorama processes"}' \
  "$PANORAMA_ELASTICSEARCH_PASSWORD")
until printf '%s' "$user_body" | es -X PUT https://es01:9200/_security/user/panorama \
  --data-binary @- | grep -q '"created"'; do
  sleep 5
done
echo "done"
