"""KPIs from the appeals' own records, Theil inequality and DEA evaluation."""
