# shellcheck shell=bash
# Shared by scripts/cluster and scripts/submit: where things are, the java command, the jar checks.
# Sourced, not run.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# The application jar for spark-submit (built by the jobs module); another can be tried with SPARK_CNN_APP_JAR.
APP_JAR="${SPARK_CNN_APP_JAR:-$ROOT/jobs/target/spark-cnn-jobs-0.1.0-SNAPSHOT-app.jar}"
JVM_OPTIONS="$ROOT/conf/jvm-options"
# The Spark "distribution" assembled by Maven from Central's jars (scripts/spark-home/pom.xml).
SPARK_HOME_DIR="${SPARK_CNN_SPARK_HOME:-$ROOT/scripts/spark-home/target/spark-home}"
SPARK_HOME_BUILD="mvn -q -B install -DskipTests -pl scripts/spark-home -am"
# Pids, logs, work dirs and the master URL of the cluster that scripts/cluster started.
CLUSTER_DIR="${SPARK_CNN_CLUSTER_DIR:-$ROOT/target/cluster}"
[[ "$CLUSTER_DIR" == /* ]] || CLUSTER_DIR="$PWD/$CLUSTER_DIR"
# The cluster's secret and encryption settings (a Spark properties file, mode 600), written by scripts/cluster.
SECURITY_CONF="$CLUSTER_DIR/spark-security.conf"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# ND4J's OpenMP threads wait passively between parallel regions instead of spinning: on a shared machine a
# spinning thread that loses its core stalls every barrier (LeNet-5 training ~4x slower next to a busy process;
# see NativeThreads.OMP_WAIT_POLICY). Every JVM these scripts start, and the cluster's executors, inherit it.
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"

SCRIPT_NAME="$(basename "$0")"

die() {
  echo "$SCRIPT_NAME: $*" >&2
  exit 1
}

say() {
  echo "$SCRIPT_NAME: $*" >&2
}

# The script's header comment, from its second line to the first line that is not a comment.
usage() {
  awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
}

# A bad command line: what was wrong, the synopsis lines of the usage text, and where the rest is.
usage_error() {
  echo "$SCRIPT_NAME: $*" >&2
  usage | grep '^  scripts/' | sed '1s/^ /usage:/; 2,$s/^ /      /' >&2
  echo "($0 --help tells more)" >&2
  exit 2
}

# Called with an option and the arguments after it: a usage error when the option has no value.
need_value() {
  [[ $# -ge 2 && -n "$2" && "$2" != -* ]] || usage_error "$1 needs a value"
}

is_count() {
  [[ "$1" =~ ^[1-9][0-9]*$ ]]
}

is_memory() {
  [[ "$1" =~ ^[1-9][0-9]*[mMgG]$ ]]
}

# Memory such as 512m or 4g, in MiB.
memory_mib() {
  local n="${1%[mMgG]}"
  case "$1" in
    *[gG]) echo $((n * 1024)) ;;
    *) echo "$n" ;;
  esac
}

# Spark's daemons, SparkSubmit and the executors the workers launch all read these.
spark_env() {
  export SPARK_HOME="$SPARK_HOME_DIR"
  # Spark's launcher code (used by the workers to start executors) cannot guess it without a real distribution.
  export SPARK_SCALA_VERSION=2.12
  # Spark binds to the machine's first address otherwise; everything of ours stays on loopback.
  export SPARK_LOCAL_IP=127.0.0.1
}

require_java() {
  command -v "$JAVA" >/dev/null || die "no java at '$JAVA': install a JDK 17 (apt-get install openjdk-17-jdk-headless) or set JAVA_HOME"
  [[ -f "$JVM_OPTIONS" ]] || die "missing $JVM_OPTIONS (Java 17's --add-opens list for Spark)"
}

# The Spark home: a RELEASE file and jars/. Built with Maven when missing and Maven is there.
require_spark_home() {
  if [[ -f "$SPARK_HOME_DIR/RELEASE" ]] && compgen -G "$SPARK_HOME_DIR/jars/spark-core_*.jar" >/dev/null; then
    return
  fi
  if [[ -n "${SPARK_CNN_SPARK_HOME:-}" ]]; then
    die "SPARK_CNN_SPARK_HOME=$SPARK_CNN_SPARK_HOME has no RELEASE file or no jars/spark-core_*.jar"
  fi
  if ! command -v mvn >/dev/null; then
    die "no Spark home at $SPARK_HOME_DIR; build it with: cd $ROOT && $SPARK_HOME_BUILD"
  fi
  say "no Spark home at $SPARK_HOME_DIR; building it: (cd $ROOT && $SPARK_HOME_BUILD)"
  (cd "$ROOT" && $SPARK_HOME_BUILD) || die "building the Spark home failed (command above)"
}

# The application jar for spark-submit; a warning when sources changed after it was built.
require_app_jar() {
  local build="cd $ROOT && mvn -B -q package -DskipTests -pl jobs -am"
  [[ -f "$APP_JAR" ]] || die "no application jar $APP_JAR; build it with: $build"
  [[ -z "${SPARK_CNN_APP_JAR:-}" ]] || return 0
  local newer
  newer="$(find "$ROOT/pom.xml" "$ROOT"/{workers,driver,jobs}/pom.xml "$ROOT"/{workers,driver,jobs}/src/main \
             -newer "$APP_JAR" -type f -print -quit 2>/dev/null || true)"
  if [[ -n "$newer" ]]; then
    say "warning: $newer is newer than the application jar; rebuild with: $build"
  fi
}
