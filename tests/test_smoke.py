def test_home_in_dutch(client):
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="nl">' in response.text
