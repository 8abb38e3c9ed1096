"""Notes and rules: the instructional notes of a release, the code references in them, encounter checks."""
