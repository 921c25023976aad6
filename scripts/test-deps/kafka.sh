#!/usr/bin/env bash
# kafka.sh: the Apache Kafka broker jars the Kafka tests start (scripts/kafka/start-broker.sh), fetched
# from Maven Central through scripts/kafka/pom.xml into the git-ignored .cache/kafka/libs. Idempotent:
# does nothing when the jars are there. Needs Java 17+ and Maven.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
libs="$root/.cache/kafka/libs"
if compgen -G "$libs/kafka_2.13-*.jar" > /dev/null && [ -f "$libs/.complete" ]; then
  exit 0
fi
command -v java > /dev/null || { echo "kafka.sh: java (17+) is needed to run the test broker" >&2; exit 1; }
command -v mvn > /dev/null || { echo "kafka.sh: mvn is needed to fetch the Kafka jars" >&2; exit 1; }
echo "kafka.sh: fetching Apache Kafka jars into .cache/kafka/libs…" >&2
rm -rf "$libs"
mkdir -p "$libs"
mvn -q -B -f "$root/scripts/kafka/pom.xml" dependency:copy-dependencies -DoutputDirectory="$libs"
touch "$libs/.complete"
