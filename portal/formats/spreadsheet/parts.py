"""Which parts of an xlsx calamine reads, found the way calamine finds them.

The checks before calamine (the sheet's extent, the shared strings) are only
as good as their aim: a file whose _rels/.rels points calamine to
"evil/workbook.xml" while "xl/workbook.xml" holds a harmless decoy must be
measured where calamine will read. So this follows calamine 0.36
(src/xlsx/mod.rs) step by step: the folder of the officeDocument
relationship in _rels/.rels (the last one wins), then workbook.xml and its
relationships there (the last of an Id wins), a target joined to the folder
as written ("../" is not resolved), and every name looked up ignoring ASCII
case and reading "\\" as "/". A value that an XML parser and calamine could
read differently (a character reference, an entity, white space) in the
attributes that steer this is refused, not guessed at.
"""

from __future__ import annotations

import zipfile
from xml.parsers import expat

OFFICE_DOCUMENT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
)
PACKAGE_RELS = "_rels/.rels"
# Characters that mean the raw attribute (which calamine compares) and the parsed one differ.
UNPLAIN = frozenset("&<>\"' \t\r\n")
ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


class _Found(Exception):
    """Internal: stops the parser once the tag looked for is seen."""


class PartsUnclear(Exception):
    """The archive's structure could be read two ways; the reason, for the clerk."""


class XlsxParts:
    """An xlsx archive's parts, named as calamine names them."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        # calamine's path cache: later entries overwrite earlier ones of the same key.
        self.names: dict[str, str] = {}
        for name in archive.namelist():
            key = name.replace("\\", "/").translate(ASCII_LOWER)
            if key in self.names:
                raise PartsUnclear(f"two parts are named '{name}'")
            self.names[key] = name
        self.folder = self._folder()

    def find(self, path: str) -> str | None:
        """The archive member calamine opens for `path`, or None when it finds none."""
        found = self.names.get(path.translate(ASCII_LOWER))
        if found is None and path in self.archive.NameToInfo:
            found = path
        return found

    def sheet(self, name: str) -> str | None:
        """The member holding the sheet called `name` (the first of that name), or None."""
        rel_id = None
        for tag, attributes in self._elements(self.folder + "workbook.xml"):
            if _tag(tag) == "sheet" and attributes.get("name") == name:
                ids = [v for k, v in attributes.items() if k.rpartition(":")[2] == "id"]
                rel_id = _plain(ids[-1]) if ids else ""
                break
        if rel_id is None:
            return None
        targets = {}
        for tag, attributes in self._elements(self.folder + "_rels/workbook.xml.rels"):
            if _tag(tag) == "Relationship" and "Id" in attributes:
                targets[_plain(attributes["Id"])] = _plain(attributes.get("Target", ""))
        target = targets.get(rel_id)
        if target is None:
            return None
        return self.find(target[1:] if target.startswith("/") else self.folder + target)

    def shared_strings(self) -> str | None:
        return self.find(self.folder + "sharedStrings.xml")

    def unique_strings(self) -> int:
        """The count of shared strings the workbook declares, for which calamine reserves room."""
        member = self.shared_strings()
        if member is None:
            return 0
        declared: list[str] = []

        def start(tag: str, attributes: dict[str, str]) -> None:
            if _tag(tag) == "sst":
                declared.append(attributes.get("uniqueCount", ""))
                raise _Found

        parser = expat.ParserCreate()
        parser.StartElementHandler = start
        parser.StartDoctypeDeclHandler = _no_doctype
        with self.archive.open(member) as f:
            try:
                while not declared and (chunk := f.read(1 << 16)):
                    parser.Parse(chunk, False)
            except _Found:
                pass
        count = declared[0] if declared else ""
        # calamine reads it as digits only; anything else it ignores.
        return int(count) if count.isascii() and count.isdigit() and len(count) <= 20 else 0

    def _folder(self) -> str:
        target = None
        for tag, attributes in self._elements(PACKAGE_RELS):
            if _tag(tag) == "Relationship" and attributes.get("Type") == OFFICE_DOCUMENT:
                target = _plain(attributes.get("Target", ""))
        if target is None:
            return "xl/"  # calamine refuses such a file; nothing it reads needs aiming at
        cut = target.rfind("/")
        return target[: cut + 1].removeprefix("/") if cut >= 0 else ""

    def _elements(self, path: str) -> list[tuple[str, dict[str, str]]]:
        """The start tags of a small structural part (workbook.xml, a .rels)."""
        member = self.find(path)
        if member is None:
            return []
        data = self.archive.read(member)
        if b"&#" in data:
            raise PartsUnclear(f"'{member}' uses character references")
        found: list[tuple[str, dict[str, str]]] = []
        parser = expat.ParserCreate()
        parser.StartElementHandler = lambda tag, attributes: found.append((tag, attributes))
        parser.StartDoctypeDeclHandler = _no_doctype
        parser.Parse(data, True)
        return found


def _plain(value: str) -> str:
    if UNPLAIN.intersection(value):
        raise PartsUnclear(f"the reference {value!r} could be read two ways")
    return value


def _tag(name: str) -> str:
    """A tag's local name as calamine's XML reader sees it: after the first colon."""
    return name.partition(":")[2] or name


def _no_doctype(*_: object) -> None:
    raise PartsUnclear("a document type declaration, which workbooks never have")
