"""Community volunteers who file and follow appeals for residents."""
