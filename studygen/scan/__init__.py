"""`studygen scan`: reading marked answer sheets from scans, never guessing.

- `layouts`: the sheet layouts recorded in manifest.json (where every box is);
- `images`: scan files (PDF, PNG, JPEG, TIFF) → one grayscale page at a time;
- `reader`: one page → its code, alignment and a classified mark per box;
- `decide`: pages → sheets per student → answers, or review with the reason;
- `report`: the one-file HTML report with crops of every box a person must decide.
"""
