"""For tests and benchmarks, not for the library proper: ``synth`` generates reports with known values and renders
them in every layout real files show (text, HTML, Word, and PDF through LibreOffice)."""
