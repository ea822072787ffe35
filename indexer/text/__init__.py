"""Words: the languages and scripts the knowledge base knows, how extracted text is cleaned,
which language it is in, and how words become index terms."""
