# Set-up for the local-mode scripts (train, test, bench): the dataset package, the build, and the JVM
# command line with Spark on the classpath. Sourced, not run.

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
JOBS_JAR="$ROOT/jobs/target/spark-cnn-jobs-0.1.0-SNAPSHOT.jar"
LAUNCHER_CLASSPATH="$ROOT/jobs/target/launcher.classpath"
# The benchmark's module (scripts/bench): its jar, the jar its cluster rows spark-submit, and its classpath.
BENCH_JAR="$ROOT/bench/target/spark-cnn-bench-0.1.0-SNAPSHOT.jar"
BENCH_APP_JAR="$ROOT/bench/target/spark-cnn-bench-0.1.0-SNAPSHOT-app.jar"
BENCH_CLASSPATH="$ROOT/bench/target/launcher.classpath"

as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

# Every ensure_* installs or builds only what is missing, so that a second call does nothing
# (SetupScriptSpec runs each twice with the installers stubbed and checks just that).

# Fashion-MNIST comes from Debian's dataset-fashion-mnist package, which installs it here (the variable is
# for SetupScriptSpec, which cannot install packages).
FASHION_MNIST_DIR="${SPARK_CNN_FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}"
ensure_dataset() {
  if [[ -f "$FASHION_MNIST_DIR/train-images-idx3-ubyte.gz" ]]; then return; fi
  echo "Installing Fashion-MNIST (Debian package dataset-fashion-mnist)..." >&2
  as_root apt-get update -qq
  as_root apt-get install -y -qq dataset-fashion-mnist >/dev/null
}

# The JDK draws the report's figures and their text with a system font; a minimal machine may have none.
# Not `fc-list | grep -q .`: grep stops at the first line, fc-list dies of SIGPIPE when it has more to
# print, and under pipefail that read as "no fonts" on every machine with many fonts.
ensure_fonts() {
  [[ -n "$(fc-list 2>/dev/null || true)" ]] && return
  echo "Installing a font (for the report's figures)..." >&2
  as_root apt-get update -qq
  as_root apt-get install -y -qq fontconfig fonts-dejavu-core >/dev/null
}

# The report test opens report.html in headless Chromium (Debian's chromium package).
ensure_chromium() {
  ensure_fonts
  command -v chromium >/dev/null && return
  echo "Installing Chromium (for the report test)..." >&2
  as_root apt-get update -qq
  as_root apt-get install -y -qq chromium >/dev/null
}

ensure_maven() {
  command -v mvn >/dev/null && command -v java >/dev/null && return
  echo "Installing Maven and a JDK..." >&2
  as_root apt-get update -qq
  as_root apt-get install -y -qq maven openjdk-17-jdk-headless >/dev/null
}

# Builds the project when the jars are missing or older than any source, POM or config file.
ensure_build() {
  ensure_maven
  if [[ -f "$APP_JAR" && -f "$LAUNCHER_CLASSPATH" ]] && \
     [[ -z "$(find "$ROOT/pom.xml" "$ROOT"/{workers,driver,jobs}/pom.xml "$ROOT"/{workers,driver,jobs}/src/main \
              -newer "$APP_JAR" -type f -print -quit)" ]]; then
    return
  fi
  echo "Building spark-cnn (mvn package -DskipTests; the first build downloads the dependencies)..." >&2
  (cd "$ROOT" && mvn -B -q -Dstyle.color=never package -DskipTests -pl jobs -am)
}

# Builds the benchmark module (and the application) when its jars are missing or older than any source.
ensure_bench_build() {
  ensure_maven
  if [[ -f "$BENCH_APP_JAR" && -f "$BENCH_CLASSPATH" ]] && \
     [[ -z "$(find "$ROOT/pom.xml" "$ROOT"/{workers,driver,jobs,bench}/pom.xml "$ROOT"/{workers,driver,jobs,bench}/src/main \
              -newer "$BENCH_APP_JAR" -type f -print -quit)" ]]; then
    return
  fi
  echo "Building spark-cnn and its benchmark (mvn package -DskipTests)..." >&2
  (cd "$ROOT" && mvn -B -q -Dstyle.color=never package -DskipTests -pl bench -am)
}

# As main_cmd, for the benchmark's main class (BENCH_CMD).
bench_cmd() {
  local heap="${SPARK_CNN_HEAP:-8g}"
  export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
  BENCH_CMD=("$JAVA" @"$JVM_OPTIONS" -Xmx"$heap"
    -Dlog4j2.configurationFile="$ROOT/conf/log4j2.properties" -Dsparkcnn.app.jar="$BENCH_APP_JAR"
    -cp "$BENCH_JAR:$(cat "$BENCH_CLASSPATH")" io.sparkcnn.bench.BenchMain)
}

# The java command line that runs the application's main class with Spark on the classpath (local mode),
# in the array MAIN_CMD; callers append the subcommand and its arguments.
main_cmd() {
  local heap="${SPARK_CNN_HEAP:-8g}"
  # Spark binds to the machine's first address; keep everything of a local run on loopback.
  export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
  MAIN_CMD=("$JAVA" @"$JVM_OPTIONS" -Xmx"$heap"
    -Dlog4j2.configurationFile="$ROOT/conf/log4j2.properties" -Dsparkcnn.app.jar="$APP_JAR"
    -cp "$JOBS_JAR:$(cat "$LAUNCHER_CLASSPATH")" io.sparkcnn.jobs.cli.Main)
}

# Replaces this shell with the application's main class.
run_main() {
  main_cmd
  exec "${MAIN_CMD[@]}" "$@"
}

# scripts/faults reads metrics.json with jq (Debian's jq package).
ensure_jq() {
  command -v jq >/dev/null && return
  echo "Installing jq (scripts/faults reads metrics.json with it)..." >&2
  as_root apt-get update -qq
  as_root apt-get install -y -qq jq >/dev/null
}
