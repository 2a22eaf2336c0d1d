/*
 * posix-spawn.node: start a task's process with glibc posix_spawn and reap it through a pidfd.
 *
 * Why: Node's child_process (libuv) fork()s the whole psr process, and its event loop waits
 * until the child's execve has torn the copied address space down again: 6-10 ms per task on
 * a small VM. glibc's posix_spawn uses clone(CLONE_VM|CLONE_VFORK): nothing is copied, the
 * parent resumes as soon as the child has exec'd.
 *
 * The child:
 *   - leads a new session and process group (setsid), like `detached: true`;
 *   - gets every signal reset to its default action and an empty signal mask (Node ignores
 *     SIGPIPE; an ignored signal would survive execve), like libuv's child does;
 *   - runs in `cwd`, with stdin /dev/null and stdout/stderr on two new pipes;
 *   - gets exactly `envp`.
 * `file` must already be the path to execute (PATH lookup is the caller's, with the child's PATH).
 *
 * Exit: pidfd_open(pid) is watched by a uv_poll_t on Node's loop; when it becomes readable the
 * child is reaped with wait4(), which also gives its exact rusage (the child and every
 * descendant it waited for; the peak RSS only when it exceeds psr's own, see on_pidfd_readable),
 * and the JS callback gets
 *   (exitCode | null, signalNumber | null, cpuMicros, maxRssKilobytes | -1); exitCode is -1 if the
 * child was reaped by someone else (a waitpid(-1) elsewhere in the process).
 *
 * JS API:
 *   spawn(file, argv[], envp[], cwd, onExit) -> [pid, stdoutFd, stderrFd] | errno (a positive number)
 *
 * Linux only (pidfd_open needs Linux 5.3); the JS loader falls back to child_process when this
 * addon is missing or spawn() throws ENOSYS.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <node_api.h>
#include <uv.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

extern char **environ;

/* One running child: its pidfd poll handle and what to call when it ends. */
typedef struct child_watch {
  uv_poll_t poll; /* first member: the handle pointer is the watch pointer */
  napi_env env;
  napi_ref on_exit;
  napi_async_context async_context;
  pid_t pid;
  int pidfd;
  long parent_maxrss_kb; /* psr's own peak RSS just after the child exec'd */
  struct child_watch *prev, *next;
} child_watch;

/* Per-environment state: the list of watches still open, closed by the cleanup hook. */
typedef struct {
  child_watch *head;
} addon_state;

#define CHECK(env, call)                                   \
  do {                                                     \
    if ((call) != napi_ok) {                               \
      napi_throw_error((env), NULL, "posix-spawn: " #call); \
      goto fail;                                           \
    }                                                      \
  } while (0)

static void unlink_watch(addon_state *state, child_watch *w) {
  if (w->prev) w->prev->next = w->next;
  else state->head = w->next;
  if (w->next) w->next->prev = w->prev;
  w->prev = w->next = NULL;
}

static void close_watch(addon_state *state, child_watch *w) {
  unlink_watch(state, w);
  uv_poll_stop(&w->poll);
  close(w->pidfd);
  /* The close callback runs on a later loop turn; when a worker thread ends, that is after Node
   * has unloaded this addon, so it must not be a function of ours: libc's free(), which frees
   * the watch (the handle is its first member). */
  uv_close((uv_handle_t *)&w->poll, (uv_close_cb)(void (*)(void))free);
}

static void on_pidfd_readable(uv_poll_t *handle, int status, int events) {
  (void)status;
  (void)events;
  child_watch *w = (child_watch *)handle;
  int wstatus = 0;
  struct rusage ru;
  memset(&ru, 0, sizeof ru);
  pid_t r;
  do r = wait4(w->pid, &wstatus, WNOHANG, &ru);
  while (r < 0 && errno == EINTR);
  if (r == 0) return; /* not exited yet (spurious wake-up) */

  napi_env env = w->env;
  long parent_maxrss_kb = w->parent_maxrss_kb;
  addon_state *state = NULL;
  napi_get_instance_data(env, (void **)&state);
  napi_ref on_exit = w->on_exit;
  napi_async_context async_context = w->async_context;
  close_watch(state, w);

  napi_handle_scope scope;
  if (napi_open_handle_scope(env, &scope) != napi_ok) return;
  napi_value argv[4], callback, global;
  napi_get_null(env, &argv[0]);
  napi_get_null(env, &argv[1]);
  if (r > 0 && WIFEXITED(wstatus)) napi_create_int32(env, WEXITSTATUS(wstatus), &argv[0]);
  else if (r > 0 && WIFSIGNALED(wstatus)) napi_create_int32(env, WTERMSIG(wstatus), &argv[1]);
  else napi_create_int32(env, -1, &argv[0]); /* wait4 failed (ECHILD: someone else reaped it) */
  double cpu_micros = (double)ru.ru_utime.tv_sec * 1e6 + (double)ru.ru_utime.tv_usec +
                      (double)ru.ru_stime.tv_sec * 1e6 + (double)ru.ru_stime.tv_usec;
  napi_create_double(env, cpu_micros, &argv[2]);
  /* The child ran in psr's address space until its execve, and Linux records the peak RSS of the
   * address space an execve leaves in the process's ru_maxrss: psr's own peak. A figure above
   * psr's peak (taken just after that execve; it never decreases) can only be the child's or a
   * descendant's; anything else says nothing about the child: -1, unknown. */
  napi_create_double(env, ru.ru_maxrss > parent_maxrss_kb ? (double)ru.ru_maxrss : -1, &argv[3]);
  napi_get_reference_value(env, on_exit, &callback);
  napi_get_global(env, &global);
  napi_value result;
  /* napi_make_callback runs the microtask queue afterwards, as for any libuv callback. An
   * exception thrown by the callback has no JS caller to go to: make it an uncaught exception. */
  if (napi_make_callback(env, async_context, global, callback, 4, argv, &result) == napi_pending_exception) {
    napi_value exception;
    napi_get_and_clear_last_exception(env, &exception);
    napi_fatal_exception(env, exception);
  }
  napi_close_handle_scope(env, scope);
  napi_delete_reference(env, on_exit);
  napi_async_destroy(env, async_context);
}

/* Environment teardown (a worker thread ending): stop watching, the children are not ours to wait for. */
static void cleanup(void *arg) {
  addon_state *state = arg;
  while (state->head) {
    child_watch *w = state->head;
    close_watch(state, w);
  }
}

static void free_state(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  free(data);
}

/* A JS string as a malloc'd C string (NULL on failure, with a JS exception pending). */
static char *get_string(napi_env env, napi_value value) {
  size_t len = 0;
  if (napi_get_value_string_utf8(env, value, NULL, 0, &len) != napi_ok) {
    napi_throw_type_error(env, NULL, "posix-spawn: expected a string");
    return NULL;
  }
  char *s = malloc(len + 1);
  if (!s) return NULL;
  napi_get_value_string_utf8(env, value, s, len + 1, &len);
  return s;
}

static void free_string_array(char **array) {
  if (!array) return;
  for (char **p = array; *p; p++) free(*p);
  free(array);
}

/* A JS string array as a NULL-terminated C array. */
static char **get_string_array(napi_env env, napi_value value) {
  uint32_t n = 0;
  if (napi_get_array_length(env, value, &n) != napi_ok) {
    napi_throw_type_error(env, NULL, "posix-spawn: expected an array of strings");
    return NULL;
  }
  char **array = calloc(n + 1, sizeof(char *));
  if (!array) return NULL;
  for (uint32_t i = 0; i < n; i++) {
    napi_value item;
    napi_get_element(env, value, i, &item);
    array[i] = get_string(env, item);
    if (!array[i]) {
      free_string_array(array);
      return NULL;
    }
  }
  return array;
}

static napi_value js_spawn(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value args[5], result = NULL;
  char *file = NULL, *cwd = NULL, **argv = NULL, **envp = NULL;
  int out[2] = {-1, -1}, err[2] = {-1, -1}, pidfd = -1, error = 0;
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  int have_actions = 0, have_attr = 0;
  pid_t pid = -1;
  child_watch *w = NULL;
  addon_state *state = NULL;

  CHECK(env, napi_get_cb_info(env, info, &argc, args, NULL, NULL));
  CHECK(env, napi_get_instance_data(env, (void **)&state));
  if (argc < 5) {
    napi_throw_type_error(env, NULL, "posix-spawn: spawn(file, argv, envp, cwd, onExit)");
    goto fail;
  }
  if (!(file = get_string(env, args[0])) || !(argv = get_string_array(env, args[1])) ||
      !(envp = get_string_array(env, args[2])) || !(cwd = get_string(env, args[3])))
    goto fail;

  if (pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0) {
    error = errno;
    goto done;
  }
  if ((error = posix_spawn_file_actions_init(&actions))) goto done;
  have_actions = 1;
  /* chdir first: a relative `file` resolves against the task's directory, as with execve after chdir. */
  if ((error = posix_spawn_file_actions_addchdir_np(&actions, cwd)) ||
      (error = posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)) ||
      (error = posix_spawn_file_actions_adddup2(&actions, out[1], 1)) ||
      (error = posix_spawn_file_actions_adddup2(&actions, err[1], 2)))
    goto done;
  if ((error = posix_spawnattr_init(&attr))) goto done;
  have_attr = 1;
  sigset_t all, none;
  sigfillset(&all);
  sigemptyset(&none);
  if ((error = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)) ||
      (error = posix_spawnattr_setsigdefault(&attr, &all)) || (error = posix_spawnattr_setsigmask(&attr, &none)))
    goto done;

  /* Everything that can fail on the JS side is prepared before the child exists. */
  uv_loop_t *loop;
  napi_value name, items[3];
  CHECK(env, napi_get_uv_event_loop(env, &loop));
  CHECK(env, napi_create_string_utf8(env, "PSR_POSIX_SPAWN", NAPI_AUTO_LENGTH, &name));
  CHECK(env, napi_create_array_with_length(env, 3, &result));
  if (!(w = calloc(1, sizeof *w))) {
    error = ENOMEM;
    goto done;
  }
  w->env = env;
  CHECK(env, napi_create_reference(env, args[4], 1, &w->on_exit));
  CHECK(env, napi_async_init(env, NULL, name, &w->async_context));

  /* glibc reports a failed chdir or execve in the child as posix_spawn's return value. */
  if ((error = posix_spawn(&pid, file, &actions, &attr, argv, envp))) goto done;

  /* The child runs: from here on, a failure must not leave it running unwatched. */
  int uv_error = -1;
  pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
  if (pidfd < 0 || (uv_error = uv_poll_init(loop, &w->poll, pidfd)) != 0) {
    /* pidfd_open cannot fail on Linux >= 5.3 short of running out of descriptors. */
    error = pidfd < 0 ? errno : -uv_error;
    kill(-pid, SIGKILL);
    waitpid(pid, NULL, 0);
    goto done;
  }
  fcntl(pidfd, F_SETFD, FD_CLOEXEC);
  w->pid = pid;
  w->pidfd = pidfd;
  /* See on_pidfd_readable: taken after posix_spawn returned, i.e. after the child's execve. */
  struct rusage self;
  getrusage(RUSAGE_SELF, &self);
  w->parent_maxrss_kb = self.ru_maxrss;
  /* uv_poll_start on an initialised handle only fails for invalid arguments. */
  uv_poll_start(&w->poll, UV_READABLE, on_pidfd_readable);
  w->next = state->head;
  if (state->head) state->head->prev = w;
  state->head = w;
  pidfd = -1;
  w = NULL;

  napi_create_int32(env, pid, &items[0]);
  napi_create_int32(env, out[0], &items[1]);
  napi_create_int32(env, err[0], &items[2]);
  for (uint32_t i = 0; i < 3; i++) napi_set_element(env, result, i, items[i]);
  out[0] = err[0] = -1; /* now owned by JS */

done:
  if (error) napi_create_int32(env, error, &result);
fail:
  if (have_actions) posix_spawn_file_actions_destroy(&actions);
  if (have_attr) posix_spawnattr_destroy(&attr);
  for (int i = 0; i < 2; i++) {
    if (out[i] >= 0) close(out[i]);
    if (err[i] >= 0) close(err[i]);
  }
  if (pidfd >= 0) close(pidfd);
  if (w) {
    if (w->on_exit) napi_delete_reference(env, w->on_exit);
    if (w->async_context) napi_async_destroy(env, w->async_context);
    free(w);
  }
  free(file);
  free(cwd);
  free_string_array(argv);
  free_string_array(envp);
  return result;
}

NAPI_MODULE_INIT() {
  /* Refuse to load where pidfd_open is missing (Linux < 5.3): the caller then uses child_process. */
  int probe = (int)syscall(SYS_pidfd_open, getpid(), 0);
  if (probe < 0) {
    napi_throw_error(env, "ENOSYS", "posix-spawn: pidfd_open is not available");
    return NULL;
  }
  close(probe);
  addon_state *state = calloc(1, sizeof *state);
  if (!state) return NULL;
  napi_set_instance_data(env, state, free_state, NULL);
  napi_add_env_cleanup_hook(env, cleanup, state);
  napi_value fn;
  napi_create_function(env, "spawn", NAPI_AUTO_LENGTH, js_spawn, NULL, &fn);
  napi_set_named_property(env, exports, "spawn", fn);
  return exports;
}
