"""File intake behind `intake.files`: media sniffing, the naming scheme, page counts, archive and folder
walking, renaming. Import from `intake.files`."""
