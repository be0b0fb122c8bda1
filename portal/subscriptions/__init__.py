"""Change notifications for subscribers (issue 15): civic-tech users register a webhook for a
dataset or a whole standard with a subscriber key; on each new version the portal sends a
signed JSON notice (portal/subscriptions/notice.py) as a job, keeps the delivery history and
disables a subscription that keeps failing. The Atom feeds of changes are in feeds.py."""
