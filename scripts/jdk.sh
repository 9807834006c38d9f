# Sourced by .ci/run, ./ben-local and ./ben (POSIX sh). Sets JAVA_HOME and PATH to a JDK >= 21:
# $JAVA_HOME if it is one, else the javac on PATH, else the first one found in the usual places.
java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}'
}

ben_use_jdk() {
  path_jdk=""
  if command -v javac >/dev/null 2>&1; then
    path_jdk=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
  fi
  for jdk in "${JAVA_HOME:-}" "$path_jdk" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/* \
      /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -n "$jdk" ] && [ -x "$jdk/bin/java" ] && [ -x "$jdk/bin/javac" ] || continue
    major=$(java_major "$jdk")
    if [ "${major:-0}" -ge 21 ] 2>/dev/null; then
      if [ -n "${JAVA_HOME:-}" ] && [ "$JAVA_HOME" != "$jdk" ]; then
        echo "JAVA_HOME=$JAVA_HOME is older than Java 21; using $jdk (Java $major)" >&2
      fi
      JAVA_HOME=$jdk
      PATH="$JAVA_HOME/bin:$PATH"
      export JAVA_HOME PATH
      return 0
    fi
  done
  echo "no JDK >= 21 found: install one and/or set JAVA_HOME" >&2
  return 1
}
