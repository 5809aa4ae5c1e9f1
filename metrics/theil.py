"""Population-weighted Theil T index and its between/within decomposition.

With s_i unit i's share of the total amount and q_i its share of the total
population, T = sum_i s_i ln(s_i / q_i).  T is zero when every unit's amount
is proportional to its population and grows with inequality.  Equal
populations give the ordinary unweighted index.  A unit with no amount adds
nothing (s ln s tends to zero).

For a partition of the units into groups g with amount share S_g and
population share Q_g, T splits exactly into

    between = sum_g S_g ln(S_g / Q_g)
    within  = sum_g S_g T_g,

where T_g is the index computed inside group g alone.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike


@dataclass(frozen=True)
class GroupTerm:
    """One group's part of a Theil decomposition.

    ``within`` is the group's contribution to the within-group component
    (amount share times the group's own index) and ``between`` its term of
    the between-group component.
    """

    label: Hashable
    amount_share: float
    population_share: float
    theil: float
    within: float
    between: float


@dataclass(frozen=True)
class TheilDecomposition:
    """Total, between-group and within-group Theil T, and the group terms.

    ``within`` is the sum of the groups' within contributions and ``total``
    is ``between + within``, so the identity holds exactly in floating
    point; ``total`` agrees with :func:`theil_t` to rounding.
    """

    total: float
    between: float
    within: float
    groups: tuple[GroupTerm, ...]

    def group(self, label: Hashable) -> GroupTerm:
        """The term of the group called ``label``."""
        for term in self.groups:
            if term.label == label:
                return term
        raise KeyError(label)


def theil_t(amounts: ArrayLike, populations: ArrayLike) -> float:
    """Population-weighted Theil T index of ``amounts`` over the units.

    ``amounts`` and ``populations`` are one value per unit, non-negative and
    finite, with positive totals; a unit with a positive amount needs a
    positive population.
    """
    amount, population = _validate(amounts, populations)
    return _index(amount / amount.sum(), population / population.sum())


def decompose(
    amounts: ArrayLike, populations: ArrayLike, groups: Iterable[Hashable]
) -> TheilDecomposition:
    """Split the Theil T index of the units into between and within groups.

    ``groups`` gives each unit's group label.  Groups are reported in the
    order in which their labels first appear.
    """
    amount, population = _validate(amounts, populations)
    labels = list(groups)
    if len(labels) != amount.size:
        raise ValueError(
            f"groups has {len(labels)} labels but there are {amount.size} units."
        )

    amount_shares = amount / amount.sum()
    population_shares = population / population.sum()
    terms = tuple(
        _group_term(label, amount_shares[members], population_shares[members])
        for label, members in _members_by_label(labels).items()
    )

    between = sum(term.between for term in terms)
    within = sum(term.within for term in terms)
    return TheilDecomposition(
        total=between + within, between=between, within=within, groups=terms
    )


def _members_by_label(labels: list[Hashable]) -> dict[Hashable, np.ndarray]:
    positions: dict[Hashable, list[int]] = {}
    for position, label in enumerate(labels):
        positions.setdefault(label, []).append(position)
    return {label: np.array(members) for label, members in positions.items()}


def _group_term(
    label: Hashable, amount_shares: np.ndarray, population_shares: np.ndarray
) -> GroupTerm:
    amount_share = float(amount_shares.sum())
    population_share = float(population_shares.sum())
    if amount_share == 0.0:
        # A group with no amount has no within-group distribution to measure,
        # and its between term vanishes like any zero share.
        return GroupTerm(label, 0.0, population_share, 0.0, 0.0, 0.0)

    theil = _index(amount_shares / amount_share, population_shares / population_share)
    return GroupTerm(
        label=label,
        amount_share=amount_share,
        population_share=population_share,
        theil=theil,
        within=amount_share * theil,
        between=amount_share * float(np.log(amount_share / population_share)),
    )


def _index(amount_shares: np.ndarray, population_shares: np.ndarray) -> float:
    present = amount_shares > 0
    shares = amount_shares[present]
    return float(np.sum(shares * np.log(shares / population_shares[present])))


def _validate(
    amounts: ArrayLike, populations: ArrayLike
) -> tuple[np.ndarray, np.ndarray]:
    amount = _as_vector(amounts, "amounts")
    population = _as_vector(populations, "populations")
    if amount.size != population.size:
        raise ValueError(
            f"amounts has {amount.size} values but populations has {population.size}."
        )
    if amount.sum() <= 0:
        raise ValueError("amounts must have a positive total.")
    if population.sum() <= 0:
        raise ValueError("populations must have a positive total.")

    # Such a unit would hold a share of the amount with no share of the
    # population: its term, and the index, would be infinite.
    unpeopled = np.nonzero((amount > 0) & (population == 0))[0]
    if unpeopled.size:
        raise ValueError(
            f"units {unpeopled[:10].tolist()} have a positive amount but no population."
        )
    return amount, population


def _as_vector(values: ArrayLike, name: str) -> np.ndarray:
    try:
        vector = np.array(values, dtype=float)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be numeric: {error}") from error
    if vector.ndim != 1 or vector.size == 0:
        raise ValueError(f"{name} must be a non-empty list of numbers.")
    if not np.isfinite(vector).all():
        raise ValueError(f"{name} must be finite; got NaN or infinity.")
    if (vector < 0).any():
        raise ValueError(f"{name} must not be negative.")
    return vector
