"""Product and supplier search: segmentation, the index text, and the search service."""
