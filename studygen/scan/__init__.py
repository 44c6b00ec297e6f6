"""`studygen scan`: reading marked answer sheets from scans, never guessing.

- `layouts`: the sheet layouts recorded in manifest.json (where every box is);
- `images`: scan files (PDF, PNG, JPEG, TIFF) → one grayscale page at a time;
- `reader`: one page → its code, alignment and a classified mark per box;
- `decide`: pages → sheets per student → answers, or review with the reason;
- `report`: the one-file HTML report with crops of every box a person must decide.
"""

import os

# Bound OpenCV's image decoding before anything in this package imports cv2: a scan whose header
# claims a huge image is refused by the decoder instead of allocating gigabytes.
os.environ.setdefault("OPENCV_IO_MAX_IMAGE_PIXELS", str(120_000_000))
