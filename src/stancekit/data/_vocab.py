"""Fixed label sets and document vocabularies of the stancekit annotation scheme."""

HEDGING_LABELS = ("certain", "hedged")
CLAIM_TYPE_LABELS = ("prediction", "quantity", "causal", "opinion", "background", "event")
SOURCE_LABELS = ("author", "named", "anonymous")
STANCE_LABELS = ("support", "deny", "neutral", "unrelated")

#: Label set of every layer, in the order used for reports.
LAYER_LABELS = {
    "hedging": HEDGING_LABELS,
    "claim_type": CLAIM_TYPE_LABELS,
    "source": SOURCE_LABELS,
    "stance": STANCE_LABELS,
}
SENTENCE_LAYERS = ("hedging", "claim_type", "source")
LAYERS = SENTENCE_LAYERS + ("stance",)

SPLITS = ("train", "dev", "test")

REGIONS = (
    "africa",
    "middle_east_north_africa",
    "europe",
    "eurasia",
    "south_asia",
    "east_asia",
    "southeast_asia",
    "oceania",
    "north_america",
    "latin_america",
)

TOPICS = (
    "armed_conflict",
    "ceasefire",
    "arms_transfer",
    "sanctions",
    "nuclear",
    "election",
    "coup",
    "maritime_dispute",
    "migration",
    "energy",
    "cyber",
    "peacekeeping",
    "summit_diplomacy",
    "insurgency",
    "trade",
    "humanitarian",
    "espionage",
    "border_dispute",
)

PHENOMENA = (
    "hedge_no_common_cue",
    "negated_hedge_booster",
    "reporting_verb",
    "reported_denial",
    "conditional_or_plan",
    "number_in_background",
    "source_vague_vs_named",
)
