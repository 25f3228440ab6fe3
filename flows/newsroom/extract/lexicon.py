"""Phrases that mark page furniture rather than story text. Site-independent by design:
each entry is something many outlets print around their stories."""

import functools
import re

# A line that *is* one of these ends the story: nothing after it belongs to the article.
END_OF_STORY = re.compile(
    r"""^(?:
        dear\ readers?,?
      | \[?\s*\d+\ comments?\s*\]?:?
      | comments?\ \(\d+\):?
      | (?:view|show|read|load|see)\ (?:all\ |the\ )?(?:\d+\ )?comments?
      | (?:top\ rated|most\ recent|latest|reader)\ comments?
      | join\ the\ (?:conversation|discussion)
      | have\ your\ say
      | comment(?:s|ing)?\b.{0,25}\bclosed\b.{0,40}
      | about\ (?!the\ (?:plan|case|study)\b)[\w.&'’ -]{2,40}
      | (?:leave\ a|add\ (?:a\ )?new|post\ (?:a\ )?new)\ (?:comment|reply)
      | comment\ viewing\ options
      | .{0,80}\bmay\ not\ be\ published,?\ broadcast,?\ rewritten\b.*
      | about\ the\ authors?
      | (?:first|last)\ published\b.*
      | (?:©|\(c\)|copyright\b).*
      | all\ rights\ reserved.*
    )$""",
    re.IGNORECASE | re.VERBOSE,
)

# A reader comment's signature ("Posted by: tc on December 30, 2007 09:29 PM", "Posted by
# Idealist on January 10, 2008 5:58 PM", "Report this comment"): where one stands, the
# comments have begun, and the story is over.
COMMENT_SIGNATURE = re.compile(
    r"""^(?:
        posted\ by:?\ .{1,80}?\b(?:\d{1,2}:\d\d(?:\s?[ap]\.?m\.?)?|(?:19|20)\d\d)\b.{0,30}
      | \[?(?:.{0,40}\ )?report\ (?:this\ )?(?:comment|abuse|post)\.?\]?
      | comment\ (?:no\.?|\#)\ ?\d+
    )$""",
    re.IGNORECASE | re.VERBOSE,
)


def is_end_of_story(text: str) -> bool:
    """The line ends the story: an end marker (trailing dots and colons aside) or a reader
    comment's signature."""
    return bool(END_OF_STORY.match(text.strip(" .:")) or END_OF_STORY.match(text) or COMMENT_SIGNATURE.match(text))


# Printed in the middle of stories as often as after them: skipped, but not an end.
INLINE_FURNITURE = re.compile(
    r"""^(?:
        advertisement(?:\s*[-–:]?\s*(?:story\ continues\ below|continue\ reading\ below))?
      | continue\ reading(?:\ below|\ the\ (?:main\ )?story)?
      | comments?
      | recommended(?:\ for\ you|\ stories|\ articles|\ videos?)?
      | related(?:\ stories|\ articles|\ news|\ posts|\ content|\ coverage|\ topics|\ links)?:?
      | (?:you|we\ think\ you)\ (?:may|might)\ (?:also\ )?(?:like|enjoy)
      | more\ (?:stories|news|from\ .{2,40}|on\ this\ story|in\ .{2,40}|.{2,30}\ news)
      | trending(?:\ now|\ stories)?
      | most\ (?:read|popular|viewed|shared)
      | (?:top|latest)\ (?:stories|news|headlines)
      | don'?t\ miss
      | (?:read|see|watch)\ (?:more|next|also)\b.{0,120}
      | also\ (?:read|see|watch)\b.{0,120}
      | share\ (?:this|the)\ (?:article|story|post|page)\s*:?
      | (?:story|article)\ continues\ (?:below|after).*
      | sponsored(?:\ content)?
    )$""",
    re.IGNORECASE | re.VERBOSE,
)

# Lines made of these are never story text wherever they stand.
BOILERPLATE = re.compile(
    r"""(?:
        \bsubscri(?:be|ption|bers?)\b
      | \bsign\ (?:up|in)\b | \blog\ ?in\b | \bnewsletters?\b
      | \bcookies?\b | \bprivacy\ (?:policy|notice)\b | \bterms\ (?:of|and)\ (?:use|service|conditions)\b
      | \ball\ rights\ reserved\b | ^©
      | \bclick(?:ing)?\ here\b | \bfollow\ us\b | ^follow\ .{1,30}\ on\b | \bshare\ (?:on|this|via|it)\b
      | \bas\ you\ comment\b | \bcommenters?\b
      | \b(?:facebook|twitter|whatsapp|linkedin|pinterest|reddit|telegram|instagram)\b.*\b(?:facebook|twitter|whatsapp|linkedin|pinterest|reddit|telegram|instagram|email)\b
      | \bsyndicated\ feed\b | \bauto-generated\b | \bhas\ not\ been\ edited\b
      | \bsupport\ (?:quality|independent)\ journalism\b
      | \byou\ are\ here\b
      | \bskip\ to\ (?:main\ )?content\b
      | \bjavascript\b | \bad\ blocker\b | \byour\ browser\b
      | \bdownload\ (?:the|our)\ app\b
      | \breport\ an?\ (?:error|typo|correction)\b
      | \bbreaking\ news\ alerts?\b
    )""",
    re.IGNORECASE | re.VERBOSE,
)

# Every BOILERPLATE alternative contains one of these (lower-cased), or starts the line
# with one, or names two social networks (or one and email): substring tests are a hundred
# times cheaper than the regex on a long paragraph, and most paragraphs pass none of them.
_BOILERPLATE_ANCHORS = (
    "subscri",
    "sign up",
    "sign in",
    "log in",
    "login",
    "newsletter",
    "cookie",
    "privacy policy",
    "privacy notice",
    "terms of",
    "terms and",
    "rights reserved",
    "click here",
    "clicking here",
    "follow us",
    "share on",
    "share this",
    "share via",
    "share it",
    "as you comment",
    "commenter",
    "syndicated feed",
    "auto-generated",
    "not been edited",
    "journalism",
    "you are here",
    "skip to",
    "javascript",
    "ad blocker",
    "your browser",
    "download the app",
    "download our app",
    "report a",
    "breaking news",
)
_BOILERPLATE_STARTS = ("©", "follow ")
_SOCIAL = ("facebook", "twitter", "whatsapp", "linkedin", "pinterest", "reddit", "telegram", "instagram")


@functools.lru_cache(maxsize=4096)  # a paragraph is asked about several times (classify, prose_words)
def is_boilerplate(text: str) -> bool:
    """BOILERPLATE.search(text), answered without the regex when no anchor occurs."""
    lowered = text.lower()
    if not (
        any(anchor in lowered for anchor in _BOILERPLATE_ANCHORS)
        or lowered.lstrip().startswith(_BOILERPLATE_STARTS)
        or _two_networks(lowered)
    ):
        return False
    return BOILERPLATE.search(text) is not None


def _two_networks(lowered: str) -> bool:
    named = sum(lowered.count(name) for name in _SOCIAL)
    return named >= 2 or (named == 1 and "email" in lowered)


# Credits and captions: "Photo: Reuters", "Image credit: AFP/Getty", "(File photo)".
CREDIT = re.compile(
    r"^\(?(?:file\ )?(?:photo|image|picture|pic|video|graphic|illustration|credit|caption|source)s?(?:\ credit)?\s*(?::|\||by\b|/)",
    re.IGNORECASE | re.VERBOSE,
)

# Photo captions: a sentence that ends in (or carries) the picture's credit.
CAPTION = re.compile(
    r"""(?:\(\s*(?:[^()]{0,60}\b)?(?:photo|image|file|getty|afp|reuters|ap\ photo|credit|pic)\b[^()]{0,60}\)\s*$
      | ©\s*[A-Z][\w.]*(?:\s*/\s*[\w.]+)*
      | \b(?:photo|image|picture)\ (?:by|credit|courtesy)\b)""",
    re.IGNORECASE | re.VERBOSE,
)

# Short section headers that introduce a list of links.
LIST_HEADER = re.compile(
    r"^(?:just\ in|topics?|tags?|latest|trending|popular|menu|sections?|explore|features|navigation|home)\s*:?$",
    re.IGNORECASE | re.VERBOSE,
)
