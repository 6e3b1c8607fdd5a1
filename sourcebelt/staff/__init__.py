"""The staff dashboard: the platform's loose ends from every app on one page.

It lives in the project package because it reads every app (open RFQs, response rates, disputes,
verification, belt funnels), and only the project package may import them all.
"""
