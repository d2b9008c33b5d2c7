from mtdetect.segment import segment
from mtdetect.segment.html import segment_html
from mtdetect.segment.text import segment_text


def test_one_block_per_line_with_line_numbers():
    text = "Title of the story\n\nFirst paragraph is here.\nSecond paragraph is here.\n"
    blocks = segment_text(text)
    assert [b.text for b in blocks] == ["Title of the story", "First paragraph is here.", "Second paragraph is here."]
    assert [(b.line_start, b.line_end) for b in blocks] == [(1, 1), (3, 3), (4, 4)]
    assert [b.index for b in blocks] == [0, 1, 2]


def test_hard_wrapped_paragraph_lines_join():
    text = (
        "The committee met on Tuesday to discuss the new budget proposal, which\n"
        "several members had criticised in the press during the previous week\n"
        "for its cuts to rural transport.\n"
        "\n"
        "A second paragraph follows after the blank line and it is also quite\n"
        "long so that it wraps.\n"
    )
    blocks = segment_text(text)
    assert len(blocks) == 2
    assert blocks[0].text.startswith("The committee") and blocks[0].text.endswith("rural transport.")
    assert (blocks[0].line_start, blocks[0].line_end) == (1, 3)
    assert (blocks[1].line_start, blocks[1].line_end) == (5, 6)


def test_list_items_are_separate_blocks_without_bullets():
    text = "Most Read\n- First headline here\n- Second headline here\n  • Third one\n1. Numbered item\n"
    blocks = segment_text(text)
    assert [b.text for b in blocks] == ["Most Read", "First headline here", "Second headline here", "Third one", "Numbered item"]
    assert [b.tag for b in blocks] == ["p", "li", "li", "li", "li"]


HTML = """<!DOCTYPE html>
<html><head><title>Page title</title>
<script>var hidden = "never a block";</script>
<style>.x { color: red }</style></head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li></ul></nav>
<h1>The headline</h1>
<p>A paragraph with a <a href="/x">link inside</a> and
more text on the next line.</p>
<div>Outer text <p>Inner paragraph</p></div>
<aside>Подписка<br>Войти</aside>
</body></html>
"""


def test_html_blocks_skip_scripts_and_keep_structure():
    blocks = segment_html(HTML)
    texts = [b.text for b in blocks]
    assert "never a block" not in " ".join(texts)
    assert ".x" not in " ".join(texts)
    assert texts == [
        "Page title", "Home", "World", "The headline",
        "A paragraph with a link inside and more text on the next line.",
        "Outer text", "Inner paragraph", "Подписка", "Войти",
    ]
    para = blocks[4]
    assert (para.line_start, para.line_end) == (8, 9)
    assert 0.1 < para.link_density < 0.3
    assert blocks[1].region == "nav" and blocks[1].link_density == 1.0
    assert blocks[3].tag == "h" and blocks[1].tag == "li"
    assert blocks[7].region == "aside"


def test_segment_dispatches_on_kind():
    assert segment("<p>Hello there</p>", is_html=True)[0].text == "Hello there"
    assert segment("<p>Hello there</p>", is_html=False)[0].text == "<p>Hello there</p>"


def test_broken_html_still_segments():
    blocks = segment_html("<p>Unclosed paragraph<p>Another <b>bold <i>mess</p><li>item")
    assert [b.text for b in blocks] == ["Unclosed paragraph", "Another bold mess", "item"]
