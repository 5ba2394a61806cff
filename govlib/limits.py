"""The limits every input is held to. Beyond them a file is refused, or a row left empty, with a sentence that says
so: no real report comes near them, and one hostile file can neither exhaust the machine's memory nor hang a batch.
The README publishes them (its section "Limits"); a test checks that it quotes these values.
"""

MIB = 2 ** 20

# a report file: larger ones are refused before they are read
MAX_FILE_BYTES = 100 * MIB  # PDF, Word: a real report, images and all, is a few MB
MAX_TEXT_BYTES = 16 * MIB  # text, Markdown, HTML: a real report is well under 1 MB

# a Word file (.docx, or a .doc once converted): its XML is measured before it is parsed
MAX_DOCX_XML_BYTES = 32 * MIB  # the XML parts unpacked; a real report's are 0.1–3 MB
MAX_DOCX_PARAGRAPHS = 20_000  # paragraphs in the body (a table cell holds one); a real report has a few hundred

# glued digits ("予以公开270020130"): a printed number is at most this long (sign, digits, point, decimals), so a run
# of digits longer than the cells of its row can hold is left empty; and the ways to cut one row are weighed up to
# a budget of steps, beyond which the row is left empty too. Each with an ``unreadable`` finding.
MAX_NUMBER_CHARS = 15
GLUED_STEPS = 200_000

# one report: parsing it may take this long, then it is given up and listed in ``failures``
REPORT_SECONDS = 30.0
