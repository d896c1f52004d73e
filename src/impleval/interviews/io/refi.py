"""REFI-QDA project exchange file (`.qdpx`): a zip holding `project.qde` (XML) and `sources/`.

Parsed with a real XML parser (defusedxml: the file comes from outside). Codes are nested
`CodeBook/Codes/Code` elements (path = names joined by ' > '); each `TextSource` holds
`PlainTextSelection`s with character `startPosition`/`endPosition` (end exclusive) and
`Coding/CodeRef`s; the coder is the `creatingUser` of the coding (or of the selection), resolved
through `Users`. Document variables are `VariableValue`s on the source or on a `Case` that
refers to it (`SourceRef`). Plain text is `PlainTextContent` or the `plainTextPath` file.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree as DET
import pandas as pd
from defusedxml import DefusedXmlException

from impleval.errors import InputError, Problem, ProblemCollector
from impleval.interviews.io.canonical import ATTRIBUTES, Coding, paragraph_span
from impleval.privacy.deid import check_allowed_columns

NS = "urn:QDA-XML:project:1.0"
# A member of the archive is read only below these caps (a small .qdpx can hold a huge member:
# a "zip bomb"). The size is checked while reading, not taken from the zip's own header.
MAX_MEMBER_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
RATIO_CHECKED_ABOVE = 1024 * 1024  # small members may compress well (blank padding) and harm none


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def _open(path) -> tuple[zipfile.ZipFile, object]:
    path = str(path)
    if not Path(path).is_file():
        raise InputError(Problem(path, "an existing REFI-QDA project file (.qdpx)"))
    try:
        zf = zipfile.ZipFile(path)
        names = zf.namelist()
    except (zipfile.BadZipFile, OSError) as err:
        raise InputError(
            Problem(
                path, f"a REFI-QDA .qdpx file (a zip archive); it is damaged or not a zip ({err})"
            )
        ) from None
    qde = next((n for n in names if n.rsplit("/", 1)[-1] == "project.qde"), None)
    if qde is None:
        zf.close()
        raise InputError(
            Problem(path, "a REFI-QDA .qdpx archive containing project.qde (not found in the zip)")
        )
    try:
        # defusedxml refuses entity declarations and external references (billion laughs, XXE);
        # DefusedXmlException is the base of its DTDForbidden, EntitiesForbidden and
        # ExternalReferenceForbidden.
        root = DET.fromstring(read_member(zf, qde, path))
    except (ParseError, zipfile.BadZipFile, EOFError) as err:
        zf.close()
        raise InputError(Problem(path, f"a well-formed project.qde XML document ({err})")) from None
    except DefusedXmlException as err:
        zf.close()
        raise InputError(
            Problem(
                path,
                "a project.qde without entity declarations or external references (it declares "
                f"XML entities, which a REFI-QDA export never needs: {type(err).__name__})",
                column="project.qde",
            )
        ) from None
    except InputError:
        zf.close()
        raise
    if root.tag != _q("Project"):
        zf.close()
        raise InputError(
            Problem(path, f"a REFI-QDA <Project> root element in namespace {NS}", value=root.tag)
        )
    return zf, root


def read_member(zf: zipfile.ZipFile, member: str, path: str) -> bytes:
    """One archive member's bytes, refused (InputError) above MAX_MEMBER_BYTES or when it expands
    more than MAX_COMPRESSION_RATIO times; the cap holds whatever the zip header claims."""
    info = zf.getinfo(member)

    def too_big(size: int) -> bool:
        ratio = size / max(info.compress_size, 1)
        return size > MAX_MEMBER_BYTES or (
            size > RATIO_CHECKED_ABOVE and ratio > MAX_COMPRESSION_RATIO
        )

    if too_big(info.file_size):
        raise InputError(_too_big(path, member, info.file_size, info.compress_size))
    chunks, size = [], 0
    try:
        with zf.open(info) as fh:
            # In chunks, so that a member whose header understates its size stops at the cap.
            while chunk := fh.read(1024 * 1024):
                chunks.append(chunk)
                size += len(chunk)
                if too_big(size):
                    raise InputError(_too_big(path, member, size, info.compress_size))
    except (zipfile.BadZipFile, EOFError, zlib.error) as err:
        raise InputError(
            Problem(path, f"an undamaged zip archive ({type(err).__name__}: {err})", column=member)
        ) from None
    return b"".join(chunks)


def _too_big(path: str, member: str, size: int, packed: int) -> Problem:
    return Problem(
        path,
        f"archive members of at most {MAX_MEMBER_BYTES // 2**20} MB that expand at most "
        f"{MAX_COMPRESSION_RATIO} times (this one: {size} bytes from {packed} compressed; "
        "the archive may be damaged or crafted)",
        column=member,
    )


def _codes(root) -> dict[str, str]:
    paths: dict[str, str] = {}

    def walk(element, prefix):
        for code in element.findall(_q("Code")):
            path = f"{prefix} > {code.get('name', '')}" if prefix else code.get("name", "")
            paths[code.get("guid", "").upper()] = path
            walk(code, path)

    codes = root.find(f"{_q('CodeBook')}/{_q('Codes')}")
    if codes is not None:
        walk(codes, "")
    return paths


def _values(element, variables: dict[str, str]) -> dict[str, str]:
    out = {}
    for vv in element.findall(_q("VariableValue")):
        ref = vv.find(_q("VariableRef"))
        name = variables.get((ref.get("targetGUID", "") if ref is not None else "").upper())
        value = next((child.text or "" for child in vv if child.tag != _q("VariableRef")), "")
        if name is not None:
            out[name] = value
    return out


def _plain_text(zf: zipfile.ZipFile, source) -> str | None:
    content = source.find(_q("PlainTextContent"))
    if content is not None and content.text is not None:
        return content.text
    ref = source.get("plainTextPath", "")
    if ref.startswith("internal://"):
        member = f"sources/{ref[len('internal://') :]}"
        if member in zf.namelist():
            data = read_member(zf, member, zf.filename or "")
            try:
                return data.decode("utf-8-sig")
            except UnicodeDecodeError as err:
                raise InputError(
                    Problem(
                        zf.filename or "",
                        f"UTF-8 plain text in every source file ({err.reason} at byte {err.start})",
                        column=member,
                    )
                ) from None
    return None


def read_refi(path, variables_map: dict, allowed_extra=()) -> Coding:
    path = str(path)
    zf, root = _open(path)
    problems = ProblemCollector()
    try:
        users = {u.get("guid", "").upper(): u.get("name", "") for u in root.iter(_q("User"))}
        codes = _codes(root)
        variables = {
            v.get("guid", "").upper(): v.get("name", "") for v in root.iter(_q("Variable"))
        }
        names = [variables_map.get(a, a) for a in ATTRIBUTES]
        check_allowed_columns(
            sorted(set(variables.values())), names + list(allowed_extra), file=path
        )
        case_values: dict[str, dict] = {}
        for case in root.iter(_q("Case")):
            values = _values(case, variables)
            for ref in case.findall(_q("SourceRef")):
                case_values.setdefault(ref.get("targetGUID", "").upper(), {}).update(values)
        segments, docs = [], []
        for source in root.iter(_q("TextSource")):
            name, sguid = source.get("name", ""), source.get("guid", "").upper()
            where_source = f"TextSource '{name}'"
            values = {**case_values.get(sguid, {}), **_values(source, variables)}
            docs.append(
                dict(
                    document=name,
                    group="",
                    **{a: values.get(n, "") for a, n in zip(ATTRIBUTES, names, strict=True)},
                    file=path,
                    row=None,
                    where=f"{where_source} variable ",
                    where_document=where_source,
                )
            )
            text = _plain_text(zf, source)
            selections = source.findall(_q("PlainTextSelection"))
            if selections and text is None:
                problems.add(
                    path,
                    "the plain text of every coded source (PlainTextContent or the sources/ file "
                    "named by plainTextPath)",
                    column=where_source,
                    value=source.get("plainTextPath"),
                )
                continue
            for k, sel in enumerate(selections, start=1):
                where = f"{where_source} PlainTextSelection {k}"
                try:
                    start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
                except (TypeError, ValueError):
                    problems.add(
                        path,
                        "integer startPosition and endPosition",
                        column=where,
                        value=f"{sel.get('startPosition')}..{sel.get('endPosition')}",
                    )
                    continue
                if not 0 <= start <= end <= len(text):
                    problems.add(
                        path,
                        f"a selection inside the source text (0..{len(text)})",
                        column=where,
                        value=f"{start}..{end}",
                    )
                    continue
                first, last = paragraph_span(text, start, end)
                for coding in sel.findall(_q("Coding")):
                    ref = coding.find(_q("CodeRef"))
                    target = (ref.get("targetGUID", "") if ref is not None else "").upper()
                    if target not in codes:
                        problems.add(
                            path, "a CodeRef to a code in the CodeBook", column=where, value=target
                        )
                        continue
                    user = (coding.get("creatingUser") or sel.get("creatingUser") or "").upper()
                    segments.append(
                        dict(
                            document=name,
                            group="",
                            code_path=codes[target],
                            coder=users.get(user, user),
                            position=first,
                            position_end=last,
                            text=text[start:end],
                            file=path,
                            row=None,
                            where_document=where_source,
                            where_code=where,
                            where_text=where,
                        )
                    )
    finally:
        zf.close()
    problems.raise_if_any()
    seg_columns = [
        "document",
        "group",
        "code_path",
        "coder",
        "position",
        "position_end",
        "text",
        "file",
        "row",
        "where_document",
        "where_code",
        "where_text",
    ]
    doc_columns = ["document", "group", *ATTRIBUTES, "file", "row", "where", "where_document"]
    return Coding(
        pd.DataFrame(segments, columns=seg_columns), pd.DataFrame(docs, columns=doc_columns)
    )
