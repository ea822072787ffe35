"""The files of a documents folder that are not documents: the editors' manifest and the list of
what not to index. Named apart from the modules that read them, so that a walk of the folder,
or a look at whether its manifest changed, loads neither reader."""

#: The editors' spreadsheet of metadata (`describe.manifest_file` reads it).
MANIFEST_NAME = "manifest.csv"
#: Patterns of files and folders not to index (`planning.discover` reads it).
IGNORE_FILE = ".kbignore"
