"""The provider's shortlist and referral sheet: the list in the address, its sheet, PDF and QR.

A list is nothing but group ids in the page address (``/list?id=12&id=45``): no account, no
cookie, nothing kept on the server. ``shortlist`` reads and edits such a list, ``sheet``
loads its groups for the page and the PDF, ``pdf`` and ``qr`` draw them.
"""
