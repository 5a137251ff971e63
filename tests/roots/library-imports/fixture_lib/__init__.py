"""A library for the fixture pages; its package folder is `library_packages`."""
