"""The referee: judges test cells in a trusted kernel that no learner code ever ran in.

At grading time every test cell (visible check and hidden tests) and every locked cell runs in
the referee's kernel, from the gradebook's copy of the source. The names a cell needs from the
learner (their functions and values) are bound just before it to what the learner's kernel
holds: plain data is copied over (`course.grading.wire`), functions and other objects become
`RemoteObject`s whose calls send plain data to the learner's kernel and bring plain data back.

So the learner's kernel can make its own answers fail (hooks, transformers, patched modules,
lying objects, hanging, dying), but it cannot reach the code that judges them, the shop the
hidden tests build, or the verdict. What it does is also reported: `take_notes()` lists what
looked wrong (an answer that cannot be judged, a kernel that changed its own machinery).
"""

from __future__ import annotations

import ast
import builtins
import copy
import json
import secrets
import sys
import time
from typing import Any

from course.grading import answer_side, wire

SERVE_LOOP_CODE = ("__import__('course.grading.answer_side', fromlist=['serve_loop'])"
                   ".serve_loop()")
NOTE_MIME = "application/vnd.course.referee-note+json"
# Names every cell may use that no learner provides.
_ALWAYS_THERE = set(dir(builtins)) | {"get_ipython", "In", "Out", "exit", "quit", "display",
                                      "__course_referee__"}


class AnswerNotJudged(BaseException):  # noqa: N818 - read by instructors in the report
    """The learner's kernel could not give a judgeable answer; the test fails, nothing passes.

    A BaseException, so that no `except Exception` in a check or a test can take it for an
    error raised by the learner's code.
    """


class AnswerTimeout(AnswerNotJudged):
    """The learner's code ran past the time limit while the referee was waiting for it."""


class _NoAnswer(Exception):  # noqa: N818
    """The serving loop is not there (any more)."""


def _json_or_none(text: str) -> Any:
    try:
        return json.loads(text)
    except Exception:  # noqa: BLE001 - ValueError, RecursionError: not an answer
        return None


# ------------------------------------------------------------------------------ names


def cell_names(source: str) -> tuple[set[str], set[str]]:
    """(names a cell binds, names it reads), anywhere in the cell; magics are ignored."""
    lines = [line for line in source.split("\n") if not line.lstrip().startswith(("%", "!"))]
    try:
        tree = ast.parse("\n".join(lines))
    except SyntaxError:
        return set(), set()
    stored: set[str] = set()
    loaded: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (loaded if isinstance(node.ctx, ast.Load) else stored).add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            stored.add(node.name)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            for alias in node.names:
                stored.add((alias.asname or alias.name).split(".")[0])
        elif isinstance(node, ast.arg):
            stored.add(node.arg)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            stored.add(node.name)
    return stored, loaded


def checked_exercises(source: str) -> list[tuple[str, ...]]:
    """Attribute chains that end in `.check(`: ("ex", "count_buyers") for ex.count_buyers.check().
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    chains = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr == "check":
            chain, target = [], node.func.value
            while isinstance(target, ast.Attribute):
                chain.append(target.attr)
                target = target.value
            if isinstance(target, ast.Name):
                chains.append((target.id, *reversed(chain)))
    return chains


def learner_names(source: str, trusted: set[str], namespace: dict) -> set[str]:
    """Names a referee cell takes from the learner: read but bound by no trusted cell, and the
    answers of every exercise whose check it calls."""
    stored, loaded = cell_names(source)
    names = loaded - stored - trusted - _ALWAYS_THERE
    for chain in checked_exercises(source):
        target = namespace.get(chain[0])
        for attr in chain[1:]:
            target = getattr(target, attr, None)
        names.update(n for n in getattr(target, "answer_names", ()) if isinstance(n, str))
    return {n for n in names if n not in trusted}


# ------------------------------------------------------------------------------ proxies

# Classes whose exact instances cross as data (course.grading.wire).
_DATA_CLASSES = {"builtins.int", "builtins.float", "builtins.str", "builtins.list",
                 "builtins.dict", "builtins.tuple", "builtins.set", "builtins.bool",
                 "numpy.ndarray", "pandas.DataFrame", "pandas.core.frame.DataFrame",
                 "pandas.Series", "pandas.core.series.Series", "pandas.Index",
                 "pandas.core.indexes.base.Index", "pandas.Timestamp",
                 "pandas._libs.tslibs.timestamps.Timestamp"}


def _learner_class(mro: Any) -> type | None:
    """A scikit-learn class the learner's object says it is, if the referee has it loaded."""
    if not isinstance(mro, list):
        return None
    for name in mro:
        if not isinstance(name, str) or not name.startswith("sklearn."):
            continue
        module_name, _, cls_name = name.rpartition(".")
        module = sys.modules.get(module_name)
        cls = vars(module).get(cls_name) if module is not None else None
        base = sys.modules.get("sklearn.base")
        if isinstance(cls, type) and getattr(cls, "__module__", "").startswith("sklearn.") \
                and base is not None and issubclass(cls, base.BaseEstimator):
            return cls
    return None


class RemoteObject:
    """An object that lives in the learner's kernel; attributes and calls are asked for there.

    For a scikit-learn model, `isinstance` answers as for the class the learner's kernel
    reports (the check wants a Pipeline; what the model predicts is still judged as data).
    """

    __slots__ = ("_link", "_node")

    def __init__(self, link: Link, node: dict) -> None:
        object.__setattr__(self, "_link", link)
        object.__setattr__(self, "_node", node)

    @property
    def __wire_handle__(self) -> dict:
        return {"~": "handle", "owner": "answer", "id": self._node["id"]}

    @property
    def __class__(self):  # noqa: D105 - isinstance() reads it
        return _learner_class(self._node.get("mro")) or type(self)

    @property
    def __name__(self) -> str:
        name = self._node.get("name")
        return name if isinstance(name, str) and name else "your function"

    def _ask(self, op: str, **fields: Any) -> Any:
        return self._link.request({"op": op, "id": self._node["id"], **fields})

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):  # no dunders, no IPython display hooks, no pandas internals
            raise AttributeError(name)
        return self._ask("getattr", name=name)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("the learner's objects are read-only to the grader")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        encode = self._link.encoder
        value = self._ask("call", args=encode(list(args)), kwargs=encode(dict(kwargs)))
        _mirror(self._link, self._link.after, args, kwargs)
        return value

    def __len__(self) -> int:
        value = self._ask("len")
        if type(value) is not int:
            raise AnswerNotJudged("len() of an answer did not give a whole number")
        return value

    def __iter__(self):
        value = self._ask("iter")
        if type(value) is not list:
            raise AnswerNotJudged("iterating over an answer did not give its items")
        return iter(value)

    def __getitem__(self, key: Any) -> Any:
        return self._ask("getitem", key=self._link.encoder(key))

    def __repr__(self) -> str:
        mro = self._node.get("mro") or ["object"]
        return f"<the learner's {str(mro[0])[:80]}>"


def _mirror(link: Link, after: list, args: tuple, kwargs: dict) -> None:
    """What the learner's function did to its arguments, done to the referee's originals: a
    shop's oracle calls and mails, a table edited in place (tests check both)."""
    import pandas as pd

    for change in after:
        if not isinstance(change, dict):
            continue
        where = change.get("arg")
        original = (args[where] if type(where) is int and 0 <= where < len(args)
                    else kwargs.get(where) if isinstance(where, str) else None)
        try:
            if type(original).__name__ == "FashionSite" and change.get("kind") == "site":
                calls = change.get("oracle_calls")
                if type(calls) is int and calls >= original.oracle_calls:
                    original.oracle_calls = calls
                sent = link.decoder.value(change.get("sent"))
                if isinstance(sent, list) and all(isinstance(f, pd.DataFrame) for f in sent):
                    original._sent = list(original._sent) + sent
            elif type(original) is pd.DataFrame and change.get("kind") == "frame":
                edited = link.decoder.value(change.get("frame"))
                if type(edited) is pd.DataFrame:
                    object.__setattr__(original, "_mgr", edited._mgr.copy(deep=True))
        except Exception:  # noqa: BLE001 - a change that is not data is not mirrored
            link.notes.append("the learner's kernel reported a change to an argument that is "
                              "not data")


_PROXY_CLASSES: dict[str, type] = {}


def _proxy_class(learner_type: Any) -> type:
    """A RemoteObject subclass named like the learner's class, so that a check's message says
    "you returned a generator", not "a RemoteObject"."""
    name = str(learner_type).rpartition(".")[2][:40]
    name = name if name.isidentifier() else "RemoteObject"
    if name not in _PROXY_CLASSES:
        _PROXY_CLASSES[name] = type(name, (RemoteObject,), {"__slots__": ()})
    return _PROXY_CLASSES[name]


class Unjudgeable:
    """Stands for an answer that could not be brought over; any use of it fails the test."""

    def __init__(self, name: str, why: str) -> None:
        self._why = f"answer `{name}` cannot be judged: {why}"

    def _fail(self, *args: Any, **kwargs: Any) -> Any:
        raise AnswerNotJudged(self._why)

    __call__ = __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = __bool__ = __len__ = _fail
    __iter__ = __getitem__ = __float__ = __int__ = __index__ = __hash__ = _fail

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        self._fail()


# ------------------------------------------------------------------------------ the link


class Link:
    """The referee's connection to the learner's kernel."""

    def __init__(self, info: dict, call_timeout: float) -> None:
        from jupyter_client import BlockingKernelClient

        self.client = BlockingKernelClient()
        self.client.load_connection_info(info)
        self.client.start_channels()
        self.call_timeout = call_timeout
        self.deadline = time.monotonic() + call_timeout
        self.broken = ""
        self.busy = False
        self.serving: str | None = None
        self.after: list = []
        self.baseline: dict | None = None
        self.notes: list[str] = []
        self._owned: dict[int, Any] = {}
        self._owned_ids: dict[int, int] = {}
        self.encoder = wire.Encoder(handle_of=self._own)
        self.decoder = wire.Decoder(handle=self._remote, trusted=False)

    def close(self) -> None:
        try:
            self.client.stop_channels()
        except Exception:  # noqa: BLE001
            pass

    # objects of the referee's that the learner's code uses (called back through stdin)
    def _own(self, value: Any) -> dict:
        key = id(value)
        if key not in self._owned_ids:
            number = secrets.randbelow(2**52) + 1  # not guessable by the learner's code
            self._owned[number] = value
            self._owned_ids[key] = number
        return {"~": "handle", "owner": "referee", "id": self._owned_ids[key],
                "mro": [f"{c.__module__}.{c.__qualname__}" for c in type(value).__mro__][:16],
                "callable": callable(value)}

    def _remote(self, node: dict) -> Any:
        if node.get("owner") == "referee":
            number = node.get("id")
            if number not in self._owned:
                raise wire.WireError("unknown handle")
            return self._owned[number]
        mro = node.get("mro") if isinstance(node.get("mro"), list) else []
        lying = [name for name in mro[1:] if name in _DATA_CLASSES]
        if lying:  # data would have crossed as data: a subclass of it is an object that lies
            self.notes.append(f"an answer returned a {str(mro[0])[:80]}, a subclass of "
                              f"{lying[0]}: judged as an object, not as data")
        return _proxy_class(mro[0] if mro else "")(self, node)

    def _callback(self, text: str) -> str:
        """A request from the learner's code for one of the referee's objects."""
        try:
            request = json.loads(text)
            target = self._owned[request["id"]]
            op = request["op"]
            if op == "getattr":
                name = request["name"]
                if not isinstance(name, str) or name.startswith("_"):
                    raise AttributeError("only public attributes of the grader's objects "
                                         "can be used")
                value = getattr(target, name)
            elif op == "call":
                value = target(*self.decoder.value(request["args"]),
                               **self.decoder.value(request["kwargs"]))
            else:
                raise ValueError(f"unknown request {op!r}")
            body = {"ok": True, "value": self.encoder(value)}
        except AnswerNotJudged as error:
            body = {"ok": False, "error": wire.error_node(RuntimeError(str(error)))}
        except Exception as error:  # noqa: BLE001 - goes back to the learner's code as data
            body = {"ok": False, "error": wire.error_node(error)}
        return json.dumps(body, allow_nan=True, separators=(",", ":"))

    def request(self, body: dict) -> Any:
        """Send one request; the decoded value of the answer, or the learner's error raised.

        Requests go to a serving loop (`answer_side.serve_loop`) that one execution of the
        learner's kernel runs for the whole cell: each request and answer is one stdin
        message, not a cell execution of its own. `end()` stops the loop.
        """
        if self.broken:
            raise AnswerNotJudged(self.broken)
        if self.busy:
            raise AnswerNotJudged("the grader cannot call the learner's code from inside a "
                                  "call the learner's code made")
        if self.deadline <= time.monotonic():
            raise AnswerTimeout(f"the learner's code used up the {self.call_timeout:.0f} s this "
                                "test may take")
        nonce = secrets.token_hex(12)
        text = json.dumps(dict(body, nonce=nonce), allow_nan=True, separators=(",", ":"))
        self.busy = True
        try:
            if self.serving is None:
                self._start_serving()
            self.client.input(text)
            while True:
                prompt = self._next_prompt()
                message = _json_or_none(prompt)
                if isinstance(message, dict) and message.get("callback") is True:
                    self.client.input(self._callback(prompt))
                    continue
                break
        except _NoAnswer as error:
            raise AnswerNotJudged(str(error)) from None
        finally:
            self.busy = False
            self._show_printed()
        if not isinstance(message, dict) or message.get("nonce") != nonce:
            self.end()
            raise AnswerNotJudged("the learner's kernel answered the grader with something else: "
                                  "its code changed how input or cells work")
        if message.get("ok"):
            try:
                value = self.decoder.value(message.get("value"))
                self.after = message.get("after") if isinstance(message.get("after"), list) \
                    else []
                return value
            except wire.WireError as error:
                raise AnswerNotJudged(f"it returned something that is not data ({error})"
                                      ) from None
        if "unsendable" in message:
            raise AnswerNotJudged(f"it returned a type that cannot be judged "
                                  f"({str(message['unsendable'])[:200]})")
        raise wire.rebuild_error(message.get("error"))

    def _start_serving(self) -> None:
        self.serving = self.client.execute(SERVE_LOOP_CODE, store_history=False,
                                           allow_stdin=True)
        if self._next_prompt() != answer_side.READY:
            self.end()
            raise _NoAnswer("the learner's kernel did not answer the grader: its code changed "
                            "how cells run (input transformers, hooks, patched modules)")

    def _next_prompt(self) -> str:
        """The learner kernel's next input request of the serving loop, by the deadline."""
        import zmq

        stdin, shell = self.client.stdin_channel, self.client.shell_channel
        poller = zmq.Poller()
        poller.register(stdin.socket, zmq.POLLIN)
        poller.register(shell.socket, zmq.POLLIN)
        while True:
            remaining = self.deadline - time.monotonic()
            if remaining <= 0:
                self._interrupt()
                raise AnswerTimeout(f"the learner's code ran longer than the "
                                    f"{self.call_timeout:.0f} s this test may take")
            events = dict(poller.poll(int(min(remaining, 1.0) * 1000)))
            if stdin.socket in events:
                msg = stdin.get_msg(timeout=0)
                if msg["parent_header"].get("msg_id") == self.serving \
                        and msg["msg_type"] == "input_request":
                    return str(msg["content"].get("prompt", ""))
            elif shell.socket in events:
                msg = shell.get_msg(timeout=0)
                if msg["parent_header"].get("msg_id") == self.serving:
                    self.serving = None
                    raise _NoAnswer("the learner's kernel did not answer the grader "
                                    f"(status {msg['content'].get('status')!r}): its code changed "
                                    "how cells run or what they show (input transformers, "
                                    "hooks, patched modules)")
            elif not self.client.hb_channel.is_beating():
                self.serving = None
                self.broken = "the learner's kernel died"
                raise _NoAnswer(self.broken)

    def end(self) -> None:
        """Stop the serving loop (at the end of each cell: the learner's cells come next)."""
        if self.serving is None:
            return
        serving, self.serving = self.serving, None
        try:
            self.client.input(answer_side.DONE)
            end = time.monotonic() + 10
            while time.monotonic() < end:
                msg = self.client.get_shell_msg(timeout=max(0.1, end - time.monotonic()))
                if msg["parent_header"].get("msg_id") == serving:
                    return
        except Exception:  # noqa: BLE001 - queue.Empty, a dead socket
            pass
        self.broken = "the learner's kernel did not stop answering the grader"

    def _show_printed(self) -> None:
        """What the learner's code printed while the referee waited (a short excerpt)."""
        printed = []
        channel = self.client.iopub_channel
        try:
            while channel.msg_ready():
                msg = channel.get_msg(timeout=0)
                if msg["msg_type"] == "stream" and self.serving is not None \
                        and msg["parent_header"].get("msg_id") == self.serving:
                    printed.append(str(msg["content"].get("text", ""))[:2000])
        except Exception:  # noqa: BLE001 - printing is a courtesy
            return
        text = "".join(printed)
        if text.strip():
            sys.stdout.write("[printed by your code] " + text[:2000])

    def _interrupt(self) -> None:
        """Stop the learner's code; if it does not stop, the kernel is given up for this run."""
        import zmq

        client = self.client
        try:
            client.control_channel.send(client.session.msg("interrupt_request", {}))
            socket = client.stdin_channel.socket
            end = time.monotonic() + 10
            while time.monotonic() < end:  # the loop answers the interrupted request, then waits
                if socket.poll(int(max(0.1, end - time.monotonic()) * 1000), zmq.POLLIN):
                    msg = client.stdin_channel.get_msg(timeout=0)
                    if msg["msg_type"] == "input_request":
                        return
        except Exception:  # noqa: BLE001 - a dead socket: give up on it
            pass
        self.serving = None
        self.broken = ("the learner's kernel kept running after the time limit and no longer "
                       "answers the grader")


# ------------------------------------------------------------------------------ the referee


class Referee:
    """State of the referee kernel for one notebook: the link and what looked wrong."""

    def __init__(self) -> None:
        self.link: Link | None = None
        self.info: dict | None = None
        self.notes: list[str] = []
        self.call_timeout = 90.0

    def connect(self, info: dict, call_timeout: float) -> None:
        """Talk to this learner kernel from now on (a new one after a restart)."""
        if self.link is not None:
            self.link.close()
        self.info = info
        self.call_timeout = call_timeout
        self.link = Link(info, call_timeout)
        try:
            self.link.baseline = self.link.request({"op": "describe", "names": []})["signs"]
        except (AnswerNotJudged, Exception) as error:  # noqa: BLE001
            self.link.baseline = None
            self.notes.append(f"the learner's kernel did not answer at its start ({error})")
        self.link.end()

    def bind(self, namespace: dict, source: str, trusted: list[str],
             watch: list[str] = ()) -> None:
        """Bind the names this cell takes from the learner, just before it runs. `watch`:
        locked values (SEED, N_CUSTOMERS) whose change in the learner's kernel is reported."""
        names = learner_names(source, set(trusted), namespace)
        for name in names:
            namespace.pop(name, None)
        if self.link is None:
            return
        self.link.deadline = time.monotonic() + self.call_timeout
        if not names:
            return
        watched = {n: namespace[n] for n in watch
                   if n not in names and type(namespace.get(n)) in (int, float, str, bool)}
        try:
            answer = self.link.request({"op": "describe", "names": sorted(names | set(watched))})
        except AnswerNotJudged as error:
            self._note(str(error))
            for name in names:
                namespace[name] = Unjudgeable(name, str(error))
            return
        except Exception as error:  # noqa: BLE001 - the describe step itself failed remotely
            self._note(f"the learner's kernel failed to list its answers ({error})")
            return
        if not isinstance(answer, dict) or not isinstance(answer.get("names"), dict):
            self._note("the learner's kernel answered the grader with something else")
            return
        self._compare_signs(answer.get("signs"))
        for name, mine in watched.items():
            node = answer["names"].get(name, _MISSING)
            try:
                theirs = None if _tag(node) in ("missing", "unsendable") else \
                    self.link.decoder.value(node)
            except Exception:  # noqa: BLE001
                theirs = None
            if type(theirs) is not type(mine) or theirs != mine:
                self._note(f"the learner's code changed {name}, a value of a locked cell")
        for name in sorted(names):
            node = answer["names"].get(name, _MISSING)
            tag = _tag(node)
            if tag == "missing":
                continue
            if tag == "unsendable":
                why = f"its value cannot be sent to the grader ({str(node.get('why'))[:200]})"
                self._note(f"answer {name}: {why}")
                namespace[name] = Unjudgeable(name, why)
                continue
            try:
                namespace[name] = self.link.decoder.value(node)
            except Exception as error:  # noqa: BLE001 - WireError, or worse: not judgeable
                why = f"it is not data the grader can read ({error})"
                self._note(f"answer {name}: {why}")
                namespace[name] = Unjudgeable(name, why)

    def _note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def _compare_signs(self, signs: Any) -> None:
        if not isinstance(signs, dict):
            self._note("the learner's kernel did not say what state it is in")
            return
        own = answer_side.signs()  # this kernel runs the same software, and no learner code
        base = self.link.baseline if self.link else None
        if isinstance(base, dict):
            for key, what in (("input_transformers", "IPython's input transformers"),
                              ("ast_transformers", "IPython's AST transformers"),
                              ("execute_handler", "the kernel's execute handler"),
                              ("displayhook", "the display hook")):
                if signs.get(key) != base.get(key):
                    self._note(f"the learner's kernel changed {what}")
            hooks, base_hooks = signs.get("hooks"), base.get("hooks") or {}
            if isinstance(hooks, dict):
                for event, callbacks in list(hooks.items())[:16]:
                    if not isinstance(callbacks, list):
                        continue
                    before = base_hooks.get(event) if isinstance(base_hooks, dict) else None
                    before = {str(c) for c in before[:200]} if isinstance(before, list) else set()
                    added = [c for c in callbacks[:200] if str(c) not in before
                             and "matplotlib" not in str(c)]
                    if added or len(callbacks) > 200:
                        self._note(f"the learner's kernel added a {str(event)[:40]} hook")
        for key, what in (("patched_shell", "IPython's shell"),
                          ("patched_kernel", "the kernel")):
            replaced = [str(n) for n in signs.get(key) or [] if n not in own.get(key, [])]
            if replaced:
                self._note(f"the learner's kernel replaced methods of {what}: "
                           f"{', '.join(replaced)[:120]}")
        if signs.get("trace") or signs.get("profile"):
            self._note("the learner's kernel set a sys.settrace/setprofile hook")
        files = signs.get("module_files")
        if isinstance(files, dict):
            for name, path in files.items():
                mine = getattr(sys.modules.get(str(name)), "__file__", None)
                if mine is not None and path != str(mine):
                    self._note(f"the learner's kernel replaced the module {name}")
        theirs = signs.get("modules")
        if isinstance(theirs, dict):
            mine = own["modules"]
            for name, attrs in theirs.items():
                if name not in mine or not isinstance(attrs, dict):
                    continue
                is_class = name in answer_side.WATCHED_CLASSES  # an added method is a patch
                changed = sorted(str(a) for a, fp in attrs.items()
                                 if (a in mine[name] and fp != mine[name][a])
                                 or (is_class and a not in mine[name]))
                if changed:
                    self._note(f"the learner's kernel changed {name}: "
                               f"{', '.join(changed[:5])}{' …' if len(changed) > 5 else ''}")

    def take_notes(self) -> list[str]:
        """End this cell's talk with the learner's kernel; what looked wrong in it."""
        if self.link is not None:
            self.link.end()
            for note in self.link.notes:
                self._note(note)
            self.link.notes = []
        notes, self.notes = self.notes, []
        return notes

    # The set-up cells at the top of a notebook read nothing of the learner's, so the state
    # after them is the same for every submission: it is kept (a deep copy), and the next
    # submission of that notebook starts from a fresh copy of it instead of running them.
    def keep(self, key: str, namespace: dict) -> bool:
        """Keep a deep copy of the namespace under `key`; False if it cannot be copied."""
        try:
            state = copy.deepcopy({k: v for k, v in namespace.items() if _kept_name(k)},
                                  _shared_modules())
        except Exception:  # noqa: BLE001 - a connection, a lock: this notebook is not kept
            return False
        _KEPT[key] = state
        _KEPT_BYTES[key] = sum(_size(value) for value in state.values())
        while len(_KEPT) > 1 and sum(_KEPT_BYTES.values()) > KEEP_BYTES:
            oldest = next(iter(_KEPT))
            _KEPT.pop(oldest)
            _KEPT_BYTES.pop(oldest, None)
        return True

    def restore(self, key: str, namespace: dict) -> bool:
        """Give the namespace a fresh copy of the state kept under `key`, if it is kept."""
        state = _KEPT.pop(key, None)
        if state is None:
            return False
        _KEPT[key] = state  # the most recently used last
        namespace.update(copy.deepcopy(state, _shared_modules()))
        return True

    def forget(self) -> None:
        """Before the next notebook: no link, no notes."""
        if self.link is not None:
            self.link.close()
        self.link = None
        self.info = None
        self.notes = []


_KEPT: dict[str, dict] = {}
_KEPT_BYTES: dict[str, int] = {}
KEEP_BYTES = 1 << 30  # the set-up states one referee kernel keeps, roughly


def _kept_name(name: str) -> bool:
    """A name of the notebook's own, not one of IPython's (In, Out, _i3, _5, ...)."""
    if name in ("In", "Out", "get_ipython", "exit", "quit", "open") or name.startswith("__"):
        return False
    return not (name.startswith("_") and (name.lstrip("_i").isdigit() or name in (
        "_", "_i", "_ii", "_iii", "_ih", "_oh", "_dh", "_sh") or name[1:].isdigit()))


def _shared_modules() -> dict:
    """A deepcopy memo that leaves modules shared: they are the same for every notebook."""
    return {id(module): module for module in list(sys.modules.values()) if module is not None}


def _size(value: Any) -> int:
    """Rough bytes of what a set-up cell keeps: tables, arrays, shops."""
    import numpy as np
    import pandas as pd

    if isinstance(value, pd.DataFrame):
        return int(value.memory_usage(deep=False).sum())
    if isinstance(value, pd.Series):
        return int(value.memory_usage(deep=False))
    if isinstance(value, np.ndarray):
        return int(value.nbytes)
    if type(value).__name__ == "FashionSite":
        return sum(_size(v) for v in vars(value).values() if isinstance(v, pd.DataFrame))
    return 0


_MISSING = {"~": "missing"}


def _tag(node: Any) -> str:
    return node.get("~", "") if isinstance(node, dict) else ""


REFEREE = Referee()
