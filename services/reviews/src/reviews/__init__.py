"""Reviews: peer-to-peer SEN reviews."""
