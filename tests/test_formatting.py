"""The direct money and score formatting gives exactly what Babel gives, in both languages."""

import random
from decimal import Decimal

import pytest
from flask_babel import force_locale, format_currency, format_decimal

from fonds.formatting import money, score


@pytest.mark.parametrize("language", ["nl", "en"])
def test_money_and_score_match_babel(app, language):
    rng = random.Random(7)  # noqa: S311 - test data
    amounts = [Decimal("12500"), Decimal("-3.5"), Decimal("0.005"), Decimal("999.995"), 0]
    amounts += [Decimal(rng.randrange(-(10**9), 10**9)) / 1000 for _ in range(500)]
    scores = [72.25, 72.35, 0.05, 99.95, 100.0, 0.0] + [rng.uniform(0, 100) for _ in range(500)]
    with app.test_request_context(), force_locale(language):
        for amount in amounts:
            assert money(amount) == format_currency(Decimal(amount), "EUR")
        for value in scores:
            assert score(value) == format_decimal(round(value, 1), format="0.0")
        assert money(None) == "" and score(None) == ""
    expected = {"nl": "€\xa012.500,00", "en": "€12,500.00"}[language]
    with app.test_request_context(), force_locale(language):
        assert money(Decimal("12500")) == expected
