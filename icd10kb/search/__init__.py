"""Finding codes from words: the search index over titles, notes and knowledge labels."""
