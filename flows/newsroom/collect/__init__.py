"""The collect stage: outlets' feeds and news sitemaps -> new article pages fetched politely
and archived as WARC, which the ingest reads like any other input (extract/inputs.py).

sources.py reads the outlets (sources.toml), urls.py says when two URLs are one page,
feeds.py and sitemaps.py list a feed's items, fetch.py is the HTTP client (robots.txt,
per-host politeness, retries, caps), stage.py runs a pass over every outlet.
"""
