"""A standalone HTML digest page that reads well on a phone.

All feed content is escaped with :func:`html.escape` (text and attribute values),
never inserted as markup, so no script element, event-handler attribute or
markup from a feed reaches the page. Only http, https and file URLs become links
(javascript:, data: and the rest are shown as plain text, if at all). A strict
Content-Security-Policy forbids scripts even if something slipped through.
"""

from __future__ import annotations

from html import escape

from aggregator.digest.common import article_meta, counts, heading, intro
from aggregator.digest.model import Digest
from aggregator.digest.text import TITLE_CHARS, clean, safe_link

STYLE = """
:root { color-scheme: light dark; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif;
       background: Canvas; color: CanvasText; }
main { max-width: 42rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.5rem; margin: .5rem 0; }
h2 { font-size: 1.15rem; margin: 0 0 .25rem; }
article { border-top: 1px solid #8884; padding: .9rem 0; }
p { margin: .25rem 0; }
.meta, .when { color: #777; font-size: .875rem; }
ul { padding-left: 1.1rem; margin: .4rem 0 0; }
li { margin: .3rem 0; }
h1, h2, p, li { overflow-wrap: anywhere; }
a { color: LinkText; }
"""
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; form-action 'none'"


def _e(value: str) -> str:
    return escape(value, quote=True)


def render_html(digest: Digest) -> str:
    title = _e(clean(digest.title))
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{title}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        "<main>",
        f'<header><h1>{title}</h1><p class="when">{_e(intro(digest))}</p></header>',
    ]
    for entry in digest.entries:
        parts.append(f'<article id="story-{int(entry.story_id)}">')
        parts.append(f"<h2>{_e(heading(entry))}</h2>")
        if entry.summary:
            parts.append(f"<p>{_e(entry.summary)}</p>")
        parts.append(f'<p class="meta">{_e(counts(entry))}</p>')
        parts.append("<ul>")
        for article in entry.articles:
            text = _e(clean(article.title, TITLE_CHARS))
            link = safe_link(article.url)
            label = (
                f'<a href="{_e(link)}" rel="noopener noreferrer nofollow">{text}</a>'
                if link
                else text
            )
            parts.append(f'<li>{label} <span class="meta">{_e(article_meta(article))}</span></li>')
        parts.append("</ul>")
        parts.append("</article>")
    parts += ["</main>", "</body>", "</html>"]
    return "\n".join(parts) + "\n"
