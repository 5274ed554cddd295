"""Answers that try to fake their own grade, for the referee's tests.

Each `Attack` is code a hostile learner puts in an answer cell, on top of a BLANK notebook
(honest score 0) or of answers hard-coded from the visible shop (honest score: the visible
checks pass, the hidden tests fail). Before the referee, such code ran in the same kernel as
the test cells and could make them pass; now the tests run elsewhere, so each attack must
score exactly what its honest base scores, and show in the grading report.

Kinds, as in the issue that asked for them: cells that do not run or do not report, objects
that lie, and moving what the hidden tests compare against.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Attack:
    name: str
    kind: str  # "silence" | "lie" | "move"
    base: str  # "blank" | "hard_coded"
    what: str
    code: str  # {functions}: the answer functions' names, as a Python list
    report: str = ""  # a phrase the grading report must contain


_LIAR_INT = '''
class _Liar(int):
    """An int that equals, and is ordered against, anything."""
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __lt__(self, other): return True
    def __le__(self, other): return True
    def __gt__(self, other): return True
    def __ge__(self, other): return True
    def __bool__(self): return True
    def __sub__(self, other): return _Liar(0)
    def __rsub__(self, other): return _Liar(0)
    def __abs__(self): return _Liar(0)
    def __float__(self): return 0.0
    __hash__ = int.__hash__
'''

ATTACKS: tuple[Attack, ...] = (
    # -------------------------------------------------------- later cells do not run or report
    Attack("input_transformer", "silence", "blank",
           "an IPython input transformer turns every later cell into `pass`",
           "get_ipython().input_transformers_post.append(lambda lines: ['pass\\n'])\n",
           "did not answer the grader"),
    Attack("ast_transformer", "silence", "blank",
           "an AST transformer empties every later cell",
           "import ast as _ast\n"
           "class _Empty(_ast.NodeTransformer):\n"
           "    def visit_Module(self, node):\n"
           "        node.body = [_ast.Pass()]\n"
           "        return node\n"
           "get_ipython().ast_transformers.append(_Empty())\n",
           "did not answer the grader"),
    Attack("execute_handler", "silence", "blank",
           "the kernel's execute handler is replaced by one that runs nothing",
           "_kernel = get_ipython().kernel\n"
           "async def _nothing(*args, **kwargs):\n"
           "    return {'status': 'ok', 'execution_count': 1, 'user_expressions': {},\n"
           "            'payload': []}\n"
           "_kernel.do_execute = _nothing\n",
           "did not answer the grader"),
    Attack("hidden_tracebacks", "silence", "blank",
           "tracebacks are never shown, so failing tests publish no error",
           "_shell = get_ipython()\n"
           "_shell.showtraceback = lambda *args, **kwargs: None\n"
           "_shell._showtraceback = lambda *args, **kwargs: None\n"
           "_shell.showsyntaxerror = lambda *args, **kwargs: None\n",
           "replaced methods of IPython's shell"),
    Attack("post_run_hook", "silence", "blank",
           "a post_run_cell hook forgets every error and clears the output",
           "from IPython.display import clear_output as _clear\n"
           "def _forget(result):\n"
           "    result.error_in_exec = None\n"
           "    _clear()\n"
           "get_ipython().events.register('post_run_cell', _forget)\n",
           "added a post_run_cell hook"),
    Attack("execute_result_first", "silence", "blank",
           "a pre_run_cell hook publishes an execute_result first (nbgrader reads it as points)",
           "def _points(info):\n"
           "    get_ipython().displayhook(100)\n"
           "get_ipython().events.register('pre_run_cell', _points)\n",
           "added a pre_run_cell hook"),
    # -------------------------------------------------------- objects that lie
    Attack("lying_int", "lie", "blank",
           "every answer returns an int subclass that equals anything",
           _LIAR_INT + "for _name in {functions}:\n"
           "    globals()[_name] = lambda *args, **kwargs: _Liar(0)\n",
           "a subclass of builtins.int"),
    Attack("lying_frame", "lie", "blank",
           "every answer returns a DataFrame subclass whose comparisons all say True",
           "import pandas as _pd\n"
           "class _Frame(_pd.DataFrame):\n"
           "    def equals(self, other): return True\n"
           "    def __eq__(self, other): return True\n"
           "    def __len__(self): return 1\n"
           "for _name in {functions}:\n"
           "    globals()[_name] = lambda *args, **kwargs: _Frame({'x': [1]})\n",
           "judged as an object"),
    Attack("lying_callable", "lie", "blank",
           "answers are objects whose __call__, __eq__ and __bool__ say whatever is asked",
           _LIAR_INT + "class _Anything:\n"
           "    def __call__(self, *args, **kwargs): return self\n"
           "    def __eq__(self, other): return True\n"
           "    def __bool__(self): return True\n"
           "    def __getattr__(self, name): return self\n"
           "    def __int__(self): return 0\n"
           "for _name in {functions}:\n"
           "    globals()[_name] = _Anything()\n",
           ""),
    # -------------------------------------------------------- moving what the tests compare to
    Attack("rebind_seed", "move", "hard_coded",
           "SEED is moved so that the hidden tests' 'other shop' is the visible one",
           "SEED = SEED - 1\n", "changed SEED"),
    Attack("rebind_size", "move", "hard_coded",
           "N_CUSTOMERS and SEED are rebound to the visible shop's",
           "N_CUSTOMERS, SEED = N_CUSTOMERS, SEED - 1\n", "changed SEED"),
    Attack("patch_world", "move", "hard_coded",
           "course.world.make_fashion_site is replaced: every shop is the visible one",
           "import course.world as _world\n"
           "_visible = _world.make_fashion_site(n_customers=N_CUSTOMERS, seed=SEED)\n"
           "_world.make_fashion_site = lambda *args, **kwargs: _visible.copy()\n",
           "changed course.world"),
    Attack("replace_module", "move", "hard_coded",
           "sys.modules['course.world'] is replaced by a module whose shops are the visible one",
           "import sys as _sys, types as _types, course.world as _world\n"
           "_visible = _world.make_fashion_site(n_customers=N_CUSTOMERS, seed=SEED)\n"
           "_fake = _types.ModuleType('course.world')\n"
           "_fake.make_fashion_site = lambda *args, **kwargs: _visible.copy()\n"
           "_sys.modules['course.world'] = _fake\n",
           "replaced the module course.world"),
    Attack("settrace", "move", "hard_coded",
           "a sys.settrace hook swaps the hidden tests' shop for the visible one as it is built",
           "import sys as _sys\n"
           "def _tracer(frame, event, arg):\n"
           "    names = frame.f_globals\n"
           "    if '_other' in names and 'site' in names \\\n"
           "            and names['_other'] is not names['site']:\n"
           "        names['_other'] = names['site']\n"
           "    return _tracer\n"
           "_sys.settrace(_tracer)\n",
           "settrace"),
    Attack("patch_numpy", "move", "hard_coded",
           "numpy's comparisons always say equal",
           "import numpy as _np\n"
           "_np.allclose = lambda *args, **kwargs: True\n"
           "_np.isclose = lambda *args, **kwargs: True\n"
           "_np.array_equal = lambda *args, **kwargs: True\n",
           "changed numpy"),
    Attack("patch_pandas", "move", "hard_coded",
           "pandas' nunique, equals and mean are patched to agree with the hard-coded answers",
           "import pandas as _pd\n"
           "_pd.Series.nunique = lambda self, *args, **kwargs: 0\n"
           "_pd.DataFrame.equals = lambda self, other: True\n",
           "changed pandas"),
    Attack("patch_builtins", "move", "hard_coded",
           "builtins.abs and builtins.isinstance are patched so every comparison passes",
           "import builtins as _builtins\n"
           "_builtins.abs = lambda value: 0\n",
           "changed builtins"),
    Attack("patch_course_checks", "move", "blank",
           "the course's checks are patched to say Correct! and the expect() helper to pass",
           "import course.feedback as _feedback\n"
           "_feedback.expect = lambda condition, message: None\n"
           "_feedback.Exercise.check = lambda self, *args, **kwargs: print('Correct!')\n",
           "changed course.feedback"),
)


def attack_code(attack: Attack, functions: list[str]) -> str:
    """The attack's answer-cell code for a notebook whose answer functions are `functions`."""
    return f"# ATTACK {attack.name}: {attack.what}\n" + attack.code.replace(
        "{functions}", repr(sorted(set(functions))))
