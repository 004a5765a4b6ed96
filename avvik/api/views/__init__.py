"""The API's endpoints (`cases`), the contact point's pages for clients (`clients`), and the base both
endpoints and documentation build on (`base`)."""
