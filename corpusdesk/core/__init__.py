"""Plain data and rules shared by every layer; nothing here touches storage or Qt."""
