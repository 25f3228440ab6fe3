"""The stories-per-country map: a page written beside the dbt docs site (map.html), linked
from its overview. pygal draws the world (country outlines from pygal_maps_world, offline);
the page's script recolours it and rewrites the table for the date range a reader picks,
from the stories embedded in the page. Nothing on it loads from the network."""

from __future__ import annotations

import html
import json
from pathlib import Path

TITLE = "Stories per country"


def render(stories: list[dict]) -> str:
    """The page for stories as rows of {story_id, headline, first_published (ISO date or
    None), article_count, country_code (ISO 3166-1 alpha-2, lower case), country_name}."""
    import pygaljs
    from pygal_maps_world.maps import World

    totals: dict[str, int] = {}
    for story in stories:
        totals[story["country_code"]] = totals.get(story["country_code"], 0) + 1
    world = World(js=[], disable_xml_declaration=True, show_legend=False, width=1000, height=560)
    world.add("stories", totals)
    svg = world.render(is_unicode=True)
    tooltips = (Path(pygaljs.__file__).parent / "static" / "2.0.x" / "pygal-tooltips.min.js").read_text()
    dates = sorted(s["first_published"] for s in stories if s["first_published"])
    data = json.dumps(stories, ensure_ascii=False).replace("</", "<\\/")
    return _PAGE.format(
        title=TITLE,
        svg=svg,
        tooltips=tooltips,
        data=data,
        first=html.escape(dates[0] if dates else ""),
        last=html.escape(dates[-1] if dates else ""),
    )


def write(site: Path, stories: list[dict]) -> Path:
    page = site / "map.html"
    page.write_text(render(stories), encoding="utf-8")
    return page


_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: sans-serif; margin: 1.5em; color: #222; }}
#range input {{ margin: 0 1em 0 0.3em; }}
table {{ border-collapse: collapse; margin-top: 1em; }}
td, th {{ padding: 0.2em 0.8em; border-bottom: 1px solid #ddd; text-align: left; }}
.map svg {{ max-width: 1000px; }}
</style>
<script>window.pygal = window.pygal || {{}}; window.pygal.config = window.pygal.config || {{}};</script>
<script>{tooltips}</script>
</head><body>
<h1>{title}</h1>
<p>Each story counts once, for its main country (the country of the place it is most about:
<code>marts.stories.main_country_code</code>, from <code>marts.story_places</code>), by the day
it was first published. <a href="index.html">Back to the docs</a>.</p>
<form id="range">from <input type="date" id="start" value="{first}">
to <input type="date" id="end" value="{last}"> <span id="summary"></span></form>
<div class="map">{svg}</div>
<table id="countries"><thead><tr><th>country</th><th>stories</th><th>articles</th>
<th>most covered story</th></tr></thead><tbody></tbody></table>
<script>
const stories = {data};
function inRange(s, start, end) {{
  const d = s.first_published;
  return d && (!start || d >= start) && (!end || d <= end);
}}
function redraw() {{
  const start = document.getElementById("start").value, end = document.getElementById("end").value;
  const by = {{}};
  for (const s of stories.filter(s => inRange(s, start, end))) {{
    const c = by[s.country_code] || (by[s.country_code] = {{name: s.country_name, stories: 0, articles: 0, top: s}});
    c.stories += 1; c.articles += s.article_count;
    if (s.article_count > c.top.article_count) c.top = s;
  }}
  const most = Math.max(1, ...Object.values(by).map(c => c.stories));
  document.querySelectorAll(".map g.country").forEach(g => {{
    const code = [...g.classList].find(k => k.length === 2);
    const c = by[code];
    g.style.fillOpacity = c ? (0.25 + 0.75 * c.stories / most).toFixed(3) : "";
    g.classList.toggle("in-range", !!c);
    if (!c && g.classList.contains("series")) g.style.fillOpacity = "0.05";
  }});
  const rows = Object.entries(by).sort((a, b) => b[1].stories - a[1].stories || a[0].localeCompare(b[0]));
  document.querySelector("#countries tbody").innerHTML = rows.map(([code, c]) =>
    `<tr data-country="${{code}}"><td>${{c.name}}</td><td>${{c.stories}}</td><td>${{c.articles}}</td>` +
    `<td>${{c.top.headline.replace(/</g, "&lt;")}}</td></tr>`).join("");
  const total = rows.reduce((n, r) => n + r[1].stories, 0);
  const n = rows.length;
  document.getElementById("summary").textContent =
    `${{total}} ${{total === 1 ? "story" : "stories"}} in ${{n}} ${{n === 1 ? "country" : "countries"}}`;
}}
document.getElementById("start").addEventListener("change", redraw);
document.getElementById("end").addEventListener("change", redraw);
redraw();
</script>
</body></html>
"""
