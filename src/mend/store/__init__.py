"""Storage: SQLAlchemy tables mapped onto the domain, repositories, the unit of work, migrations."""
