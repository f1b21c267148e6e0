# Sourced by loadtest/bench when PROFILE=1 (not run on its own): after the measured rounds, one
# extra run per gateway target (forward and refusal) with JFR and, when it can be had from Maven
# Central, async-profiler attached to the gateway process. Writes into $OUT:
#   profile-<target>.jfr        JFR recording (settings=profile): open in JDK Mission Control
#   profile-<target>.html       async-profiler flame graph of every thread (cpu, kernel frames too)
#   profile-<target>.collapsed  the same samples as collapsed stacks (one line per stack)
#   profile-<target>.txt        where the CPU goes per request, top frames (ProfileSummary)
#   profile-<target>-jfr.txt    the same from the JFR samples (Java code only)
#   wrk-profile-<target>.txt    the load of the profiled run (profilers cost a few % of throughput)
# Uses from the bench: GW_ENTRIES GW_PIDS GW_TARGETS RJ_TARGETS OUT WORK ROOT DURATION, run, median, log.

ASYNC_PROFILER_VERSION=${ASYNC_PROFILER_VERSION:-4.0}
SUMMARY_TOOL=$ROOT/loadtest/src/main/java/io/ordergate/loadtest/ProfileSummary.java

# Prints the path of libasyncProfiler.so, or nothing: ASYNC_PROFILER if set, else the jar
# tools.profiler:async-profiler from the local Maven repository (fetched with mvn when missing).
find_async_profiler() {
  if [ -n "${ASYNC_PROFILER:-}" ]; then
    [ -f "$ASYNC_PROFILER" ] && echo "$ASYNC_PROFILER"
    return 0
  fi
  local arch v=$ASYNC_PROFILER_VERSION jar
  case $(uname -m) in x86_64) arch=linux-x64 ;; aarch64) arch=linux-arm64 ;; *) return 0 ;; esac
  jar=${MAVEN_REPO:-$HOME/.m2/repository}/tools/profiler/async-profiler/$v/async-profiler-$v.jar
  [ -f "$jar" ] || mvn -B -q dependency:get -Dartifact="tools.profiler:async-profiler:$v" >>"$WORK/profile.log" 2>&1 || true
  [ -f "$jar" ] || return 0
  mkdir -p "$WORK/async-profiler"
  (cd "$WORK/async-profiler" && jar xf "$jar" "$arch/libasyncProfiler.so") >>"$WORK/profile.log" 2>&1 || return 0
  [ -f "$WORK/async-profiler/$arch/libasyncProfiler.so" ] && echo "$WORK/async-profiler/$arch/libasyncProfiler.so"
  return 0
}

# async-profiler command (start/dump/stop …) to a running JVM, through jcmd's agent loading.
async_profiler() { # pid lib command
  jcmd "$1" JVMTI.agent_load "$2" "\"$3\"" >"$WORK/ap-out.txt" 2>&1
  cat "$WORK/ap-out.txt" >>"$WORK/profile.log"
  grep -q 'return code: 0' "$WORK/ap-out.txt"
}

profile_gateways() {
  local lib i t pid base us event
  lib=$(find_async_profiler)
  if [ -n "$lib" ]; then
    log "profiling each gateway target for $DURATION with JFR and async-profiler $ASYNC_PROFILER_VERSION"
  else
    log "profiling each gateway target for $DURATION with JFR only (no async-profiler: see $OUT/profile.log)"
  fi
  for i in "${!GW_ENTRIES[@]}"; do
    pid=${GW_PIDS[$i]}
    for t in "${GW_TARGETS[$i]}" "${RJ_TARGETS[$i]}"; do
      base=$OUT/profile-$t
      jcmd "$pid" JFR.start name=bench settings=profile >>"$WORK/profile.log" 2>&1 || die "JFR.start failed; see $OUT/profile.log"
      event=
      if [ -n "$lib" ]; then
        # perf_events (cpu) where the kernel lets us, else the interval timer (no kernel frames).
        for e in cpu itimer; do
          if async_profiler "$pid" "$lib" "start,event=$e,interval=1ms,threads"; then event=$e; break; fi
        done
        [ -n "$event" ] || log "async-profiler did not start; see $OUT/profile.log"
      fi
      run profile "$t" "$DURATION"
      if [ -n "$event" ]; then
        async_profiler "$pid" "$lib" "dump,collapsed,file=$base.collapsed" || true
        async_profiler "$pid" "$lib" "stop,file=$base.html" || true
      fi
      jcmd "$pid" JFR.stop name=bench filename="$base.jfr" >>"$WORK/profile.log" 2>&1 || log "JFR.stop failed; see $OUT/profile.log"
      us=$(median 6 "$t")
      if [ -s "$base.collapsed" ]; then
        java "$SUMMARY_TOOL" --us-per-request "$us" "$base.collapsed" >"$base.txt" 2>>"$WORK/profile.log" || true
      fi
      if [ -s "$base.jfr" ]; then
        java "$SUMMARY_TOOL" "$base.jfr" >"$base-jfr.txt" 2>>"$WORK/profile.log" || true
        [ -s "$base.txt" ] || cp "$base-jfr.txt" "$base.txt"
      fi
      log "profiled $t ($([ -n "$event" ] && echo "async-profiler $event + JFR" || echo JFR)): $base.txt"
    done
  done
}
