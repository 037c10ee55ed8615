"""E-mail to both sides of a shared repair, through an outbox.

What needs the other side is written to the outbox (``mail_outbox``) in the same
transaction as the change itself (:mod:`.notices`), so a change rolled back mails
nothing and a mail server that is down loses nothing. The sender (:mod:`.delivery`)
delivers what is due, with back-off, from the server's background loop or from
`mend mail send`. Without ``smtp_host`` nothing is queued and nothing is sent.
"""
