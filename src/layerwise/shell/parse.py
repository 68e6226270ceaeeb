"""RUN scripts through tree-sitter-bash into simple commands with exact file offsets.

tree-sitter never fails: on text it cannot parse it returns ERROR nodes, and we keep every command
found around and inside them. One parser object serves every call (creating one costs more than
parsing a typical RUN).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import tree_sitter_bash
from tree_sitter import Language, Node, Parser

from layerwise.frozen import quick_init
from layerwise.shell.commands import Command, Operator, cd_target_of, join_cwd, split_program
from layerwise.shell.heredocs import without_heredocs
from layerwise.shell.inline import INLINE_PROGRAMS, with_inline_scripts
from layerwise.shell.script_cache import ScriptCache
from layerwise.shell.simple import simple_commands
from layerwise.shell.words import Word, static_value
from layerwise.syntax.span import MappedText

_PARSER = Parser(Language(tree_sitter_bash.language()))

_COMMANDS = frozenset({"command", "declaration_command", "unset_command"})
_REDIRECTS = frozenset({"file_redirect", "heredoc_redirect", "herestring_redirect"})
_SUBSTITUTIONS = frozenset({"command_substitution", "process_substitution"})
_ENCLOSING = {
    "subshell": "subshell",
    "compound_statement": "group",
    "if_statement": "if",
    "for_statement": "for",
    "c_style_for_statement": "for",
    "while_statement": "while",
    "case_statement": "case",
    "function_definition": "function",
}
# Containers whose children are statements and separators; anything else named is a leaf
# statement we look into only for substitutions.
_CONTAINERS = frozenset(
    {
        "program",
        "list",
        "pipeline",
        "negated_command",
        "redirected_statement",
        "elif_clause",
        "else_clause",
        "do_group",
        "case_item",
        "ERROR",
        *_ENCLOSING,
    }
)
# A newline before a compound statement or after one ends a statement like `;` does.
_OPENERS = frozenset({"if", "for", "while", "until", "case", "select", "(", "{", "(("})
_CLOSERS = frozenset({"fi", "done", "esac", ")", "}", "))"})
_OPERATORS = {"\n": "\n", "&&": "&&", "||": "||", ";": ";", "|": "|", "|&": "|", "&": "&"}


@quick_init
@dataclass(frozen=True, slots=True)
class Script:
    """A parsed RUN script: every simple command in source order, nested ones included."""

    source: MappedText
    commands: tuple[Command, ...]
    has_errors: bool

    @property
    def text(self) -> str:
        return self.source.text

    def programs(self) -> tuple[str, ...]:
        """The program names run, in order (`sudo apt-get` -> `apt-get`)."""
        return tuple(c.program_name for c in self.commands if c.program_name is not None)


@dataclass(slots=True)
class _Found:
    """A command while the tree is walked; operators and cwd are filled in afterwards."""

    # Command's constructor arguments known while walking, in its order (positional: a call
    # per command of every script).
    head: tuple[tuple[Word, ...], int, int, str, tuple[Word, ...], tuple[Word, ...]]
    tail: tuple[tuple[str, ...], bool, int | None]  # enclosing, nested, program_index
    shell_start: int
    shell_end: int
    subshells: tuple[object, ...]
    cd_target: str | None  # where a `cd` goes, None for any other command
    before: Operator | None = None
    after: Operator | None = None
    cwd: str | None = None

    def build(self) -> Command:
        words, start, end, text, assignments, wrappers = self.head
        enclosing, nested, program_index = self.tail
        return Command(
            words, start, end, text, assignments, wrappers,
            self.before, self.after, self.cwd, enclosing, nested, program_index,
        )  # fmt: skip


# An entry of a statement list: a command, a separator/keyword token, or an opaque statement.
_Item = tuple[str, int, int, "_Found | None"]


@quick_init
@dataclass(frozen=True, slots=True)
class _Ctx:
    enclosing: tuple[str, ...] = ()
    subshells: tuple[object, ...] = ()
    nested: bool = False


class _Walker:
    def __init__(self, src: MappedText, data: bytes, char_at: Sequence[int]) -> None:
        self.src = src
        self.data = data  # the script's bytes as written (the parsed copy may be patched)
        self.found: list[_Found] = []
        self.lists: list[list[_Item]] = []
        self.char_at = char_at
        # Newlines tree-sitter-bash swallowed inside a command (`a | b\nc` can come back as
        # one command `b c`): they end the command in bash.
        self.stray_newlines: list[int] = []

    def new_list(self) -> list[_Item]:
        items: list[_Item] = []
        self.lists.append(items)
        return items

    def walk(self, node: Node, items: list[_Item], ctx: _Ctx) -> None:
        kind = node.type
        if kind == "comment":
            return
        if not node.is_named:
            if kind == ";" and self.data[node.start_byte] == 0x0A:
                kind = "\n"  # a newline we patched into `;` for the parser
            items.append((kind, node.start_byte, node.end_byte, None))
            return
        if kind in _COMMANDS:
            self.command(node, items, ctx)
            return
        if kind in _SUBSTITUTIONS:
            self.substitution(node, ctx)
            return
        if kind in _REDIRECTS:
            self.nested_in(node, _Ctx((*ctx.enclosing, "redirect"), ctx.subshells, ctx.nested))
            return
        if kind not in _CONTAINERS:
            items.append(("statement", node.start_byte, node.end_byte, None))
            self.nested_in(node, ctx)
            return
        if kind in _ENCLOSING:
            ctx = _Ctx((*ctx.enclosing, _ENCLOSING[kind]), ctx.subshells, ctx.nested)
            if kind == "subshell":
                ctx = _Ctx(ctx.enclosing, (*ctx.subshells, node.id), ctx.nested)
        if kind == "pipeline":
            # Every element of a pipeline runs in its own subshell: a `cd` there does not last.
            for index, child in enumerate(node.children):
                inner = _Ctx(ctx.enclosing, (*ctx.subshells, (node.id, index)), ctx.nested)
                self.walk(child, items, inner if child.is_named else ctx)
            return
        for child in node.children:
            self.walk(child, items, ctx)

    def substitution(self, node: Node, ctx: _Ctx) -> None:
        inner = _Ctx((*ctx.enclosing, "substitution"), (*ctx.subshells, node.id), True)
        items = self.new_list()
        for child in node.children:
            self.walk(child, items, inner)

    def nested_in(self, node: Node, ctx: _Ctx) -> None:
        """Walk the substitutions found anywhere below a node that is not a statement list."""
        for child in node.children:
            if child.type in _SUBSTITUTIONS:
                self.substitution(child, ctx)
            elif child.type in _COMMANDS or child.type in _CONTAINERS:
                self.walk(child, self.new_list(), ctx)
            elif child.child_count:
                self.nested_in(child, ctx)

    def command(self, node: Node, items: list[_Item], ctx: _Ctx) -> None:
        # Node attributes are read once each here (every read goes through the binding): a
        # group is a word's nodes and, for a single `word` node (most are), its byte range.
        groups: list[tuple[list[Node], int, int]] = []
        n_assignments = 0
        last_end = prev_end = -1
        data = self.data
        for child in node.children:
            kind, child_start, child_end = child.type, child.start_byte, child.end_byte
            if 0 <= prev_end < child_start and data.find(10, prev_end, child_start) >= 0:
                self.check_gap(prev_end, child_start)  # a newline between words: rare
            prev_end = child_end
            if kind in _REDIRECTS or kind == "comment":
                redirect = _Ctx((*ctx.enclosing, "redirect"), ctx.subshells, ctx.nested)
                self.nested_in(child, redirect)
                last_end = -1
                continue
            if kind == "variable_assignment" and len(groups) == n_assignments:
                n_assignments += 1
            # tree-sitter-bash splits some words (`$"x"`, `"a"$b`) into adjacent siblings.
            if child_start == last_end and groups and n_assignments != len(groups):
                nodes = groups[-1][0]
                nodes.extend([child] if kind == "word" else _flatten(child))
                groups[-1] = (nodes, -1, -1)
            elif kind == "word":
                groups.append(([child], child_start, child_end))
            else:
                groups.append((_flatten(child), -1, -1))
            last_end = prev_end
            if kind in _SUBSTITUTIONS:
                self.substitution(child, ctx)
            elif child.child_count:  # a leaf holds no substitution
                self.nested_in(child, ctx)
        words = tuple(self.word(*g) for g in groups if g[0])
        program_index, n_wrappers = split_program(words, n_assignments)
        start, end = self.char_at[node.start_byte], self.char_at[node.end_byte]
        file_start, file_end = self.src.file_range(start, end)
        cd_target = None
        if program_index is not None and words[program_index].text == "cd":
            cd_target = cd_target_of(words[program_index + 1 :])
        found = _Found(
            (
                words,
                file_start,
                file_end,
                self.src.text[start:end],
                words[:n_assignments],  # assignments
                words[n_assignments : n_assignments + n_wrappers],  # wrappers
            ),
            (ctx.enclosing, ctx.nested, program_index),
            start,
            end,
            ctx.subshells,
            cd_target,
        )
        self.found.append(found)
        items.append(("command", node.start_byte, node.end_byte, found))

    def check_gap(self, start: int, end: int) -> None:
        data = self.data
        position = data.find(b"\n", start, end)
        while position >= 0:
            if position == 0 or data[position - 1] != 0x5C:  # not a `\<newline>` continuation
                self.stray_newlines.append(position)
            position = data.find(b"\n", position + 1, end)

    def word(self, nodes: list[Node], start_byte: int, end_byte: int) -> Word:
        """The word of adjacent `nodes`; a single `word` node comes with its byte range, any
        other group with -1."""
        char_at = self.char_at
        plain = start_byte >= 0
        if plain:
            start, end = char_at[start_byte], char_at[end_byte]
        else:
            start, end = char_at[nodes[0].start_byte], char_at[nodes[-1].end_byte]
        raw = self.src.text[start:end]
        if plain and "\\" not in raw and raw[:1] != "~":
            value: str | None = raw  # a plain word (most are): static, nothing to unescape
        else:
            value = static_value(nodes, self.data)
        offsets = self.src.offsets  # MappedText.file_range, inlined: one call per word less
        file_start = offsets[start]
        file_end = offsets[end - 1] + 1 if start < end else file_start
        return Word(raw if value is None else value, raw, file_start, file_end, value is not None)


def _flatten(node: Node) -> list[Node]:
    kind = node.type
    if kind == "command_name":
        return [p for c in node.children for p in _flatten(c)]
    if kind == "concatenation":
        children = node.children
        if children and children[0].text != b"{":
            return list(children)
    return [node]


def _byte_to_char(text: str, data: bytes) -> Sequence[int]:
    if len(data) == len(text):
        # ASCII: byte i is character i. A range maps i to i in C, where a class with
        # __getitem__ would cost a Python call per lookup.
        return range(len(data) + 1)
    table = [0] * (len(data) + 1)
    pos = 0
    for index, char in enumerate(text):
        size = len(char.encode("utf-8", "surrogatepass"))
        for k in range(size):
            table[pos + k] = index
        pos += size
    table[pos] = len(text)
    return table


def _parse_script(src: MappedText) -> Script:
    """Parse a RUN command (as `Instruction.shell_source()` gives it) into its simple commands.

    Never raises on odd input: what tree-sitter cannot parse is skipped, what it can is kept.
    """
    commands = simple_commands(src)  # plain words and `&&`/`;` (most scripts) need no grammar
    if commands is None:
        return parse_tree(src)
    if any(c.program_name in INLINE_PROGRAMS for c in commands):
        commands = with_inline_scripts(src, commands, parse_script)
    return Script(src, commands, False)


def parse_tree(src: MappedText) -> Script:
    """`_parse_script` through tree-sitter, whatever the script (tests compare the two)."""
    data = src.text.encode("utf-8")
    char_at = _byte_to_char(src.text, data)
    buffer = bytearray(data)
    tree = _PARSER.parse(data)
    if b"<<" in data:
        tree = without_heredocs(_PARSER, tree, buffer)
    for _ in range(8):
        root = tree.root_node
        walker = _Walker(src, data, char_at)
        walker.walk(root, walker.new_list(), _Ctx())
        if not walker.stray_newlines:
            break
        for position in walker.stray_newlines:
            buffer[position] = 0x3B  # `;`: same length, same meaning as an unquoted newline
        tree = _PARSER.parse(bytes(buffer))
    for items in walker.lists:
        _link_operators(items, walker.data)
    found = sorted(walker.found, key=lambda f: (f.shell_start, -f.shell_end))
    _fill_cwd(found)
    commands = tuple(f.build() for f in found)
    if any(c.program_name in INLINE_PROGRAMS for c in commands):
        commands = with_inline_scripts(src, commands, parse_script)
    return Script(src, commands, root.has_error)


# `parse_script(src)` is `_parse_script(src)` remembered per script text: the fix loop re-checks
# a file after each pass, so the same RUN text comes back (often moved by a fix above it), and a
# Script is immutable, so sharing one is safe. `parse_script.cache_clear()` forgets them all.
parse_script = ScriptCache(_parse_script, maxsize=4096)


def parse_text(script: str) -> Script:
    """A script that is not in a Dockerfile (a package.json script, a step's printed command):
    its offsets are the text's own."""
    return parse_script(MappedText(script, tuple(range(len(script) + 1))))


def _link_operators(items: list[_Item], data: bytes) -> None:
    for k, (kind, _, _, found) in enumerate(items):
        if found is None or kind != "command":
            continue
        before = _operator_between(items[k - 1], items[k], data) if k > 0 else None
        after = _operator_between(items[k], items[k + 1], data) if k + 1 < len(items) else None
        found.before, found.after = before, after


def _operator_between(left: _Item, right: _Item, data: bytes) -> Operator | None:
    """How two neighbours of a statement list are chained, seen from the command among them."""
    if left[3] is None and left[0] != "statement":
        if left[0] in _OPERATORS:
            return _OPERATORS[left[0]]
        if left[0] not in _CLOSERS:
            return None  # `then`, `do`, `(`...: first command of a body, not chained
    if right[3] is None and right[0] != "statement":
        if right[0] in _OPERATORS:
            return _OPERATORS[right[0]]
        if right[0] not in _OPENERS:
            return None
    return "\n" if b"\n" in data[left[2] : right[1]] else None


def _fill_cwd(found: list[_Found]) -> None:
    """Give each command the directory a preceding `cd` left it in, if any.

    A `cd` lasts for the commands after it in the same subshell and in subshells opened inside
    it; not past the end of its own subshell, pipeline element or a trailing `&`.
    """
    changes: list[tuple[tuple[object, ...], str]] = []
    for item in found:
        hint: str | None = None
        for chain, directory in reversed(changes):
            if item.subshells[: len(chain)] == chain:
                hint = directory
                break
        item.cwd = hint
        if item.cd_target is not None and item.after != "&":
            changes.append((item.subshells, join_cwd(hint, item.cd_target)))
