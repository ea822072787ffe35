"""What editors change by hand: corrections of a document's metadata, and the trash."""
