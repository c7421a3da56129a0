"""Text of one PDF or DOCX file, printed on standard output: run as a child process.

    python extract_worker.py application/pdf /tmp/file.pdf 300 100000

Run apart from the task worker (meetings.search.extraction) because the file is
untrusted: a hostile PDF or DOCX can make a parser loop, recurse or allocate without
end. Here that costs this process only: its address space and CPU time are capped
before any byte is parsed, the parent kills it after its timeout, and the parent logs
and skips whatever it did not finish. Imports no Django and nothing of the project.

Exit status 0: the text (UTF-8, at most MAX_CHARS characters, pages after MAX_PAGES
ignored); 2: a file it cannot read (a line on standard error says why).
"""

import resource
import sys
import zipfile

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# Address space and CPU seconds for this process: pypdf and lxml need well under this
# for any honest document.
ADDRESS_SPACE = 1024 * 1024 * 1024
CPU_SECONDS = 60
# A DOCX whose XML inflates past this is a zip bomb, not a paper for a meeting.
MAX_DOCX_XML_BYTES = 64 * 1024 * 1024


def limit_resources() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))


def pdf_text(path: str, max_pages: int, max_chars: int) -> str:
    from pypdf import PdfReader

    reader = PdfReader(path, strict=False)
    if reader.is_encrypted and not reader.decrypt(""):
        raise ValueError("encrypted PDF")
    parts: list[str] = []
    length = 0
    for number, page in enumerate(reader.pages):
        if number >= max_pages or length >= max_chars:
            break
        try:
            text = page.extract_text() or ""
        except Exception as error:  # one broken page does not lose the others
            print(f"page {number + 1}: {type(error).__name__}: {error}", file=sys.stderr)
            continue
        parts.append(text)
        length += len(text)
    return "\n".join(parts)[:max_chars]


def docx_text(path: str, max_chars: int) -> str:
    with zipfile.ZipFile(path) as archive:
        inflated = sum(
            info.file_size for info in archive.infolist() if info.filename.endswith(".xml")
        )
    if inflated > MAX_DOCX_XML_BYTES:
        raise ValueError(f"DOCX XML inflates to {inflated} bytes")
    import docx

    document = docx.Document(path)
    parts: list[str] = []
    length = 0
    blocks = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            blocks.extend(cell.text for cell in row.cells)
    for text in blocks:
        if length >= max_chars:
            break
        parts.append(text)
        length += len(text) + 1
    return "\n".join(parts)[:max_chars]


def main(argv: list[str]) -> int:
    content_type, path, max_pages, max_chars = argv[1], argv[2], int(argv[3]), int(argv[4])
    limit_resources()
    try:
        if content_type == PDF:
            text = pdf_text(path, max_pages, max_chars)
        elif content_type == DOCX:
            text = docx_text(path, max_chars)
        else:
            raise ValueError(f"no text extraction for {content_type}")
    except Exception as error:
        print(f"{type(error).__name__}: {error}", file=sys.stderr)
        return 2
    sys.stdout.buffer.write(text.encode("utf-8", "replace"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
