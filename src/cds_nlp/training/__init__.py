"""Loading labelled data, training and evaluating the cds_nlp models."""
