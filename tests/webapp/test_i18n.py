def test_accept_language_picks_the_interface_language(app):
    client = app.test_client()
    html = client.get("/", headers={"Accept-Language": "bg-BG,bg;q=0.9,en;q=0.5"}).get_data(
        as_text=True
    )
    assert '<html lang="bg">' in html
    assert "Търсене" in html
    assert "България" in html  # country names localised


def test_switch_is_remembered(app):
    client = app.test_client()
    client.get("/?lang=el")
    html = client.get("/search?q=results").get_data(as_text=True)
    assert '<html lang="el">' in html and "Αναζήτηση" in html
    html = client.get("/search?q=results&lang=pt").get_data(as_text=True)
    assert '<html lang="pt">' in html and "Pesquisar" in html


def test_language_links_keep_the_search(app):
    html = app.test_client().get("/search?q=results&country=EU").get_data(as_text=True)
    assert 'href="?q=results&amp;country=EU&amp;lang=bg"' in html


def test_unknown_language_falls_back_to_english(app):
    html = app.test_client().get("/", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert '<html lang="en">' in html
