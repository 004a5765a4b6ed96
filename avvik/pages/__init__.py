"""The start page and the site's own pages."""
