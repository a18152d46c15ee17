package dev.packetstream.signaling.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MemoryBudgetTest {
    @Test
    void bulkHoldersCannotTakeTheLastQuarterWhichStaysForSmallOnes() {
        MemoryBudget budget = new MemoryBudget(1000);
        assertThat(budget.tryReserve(700, true)).isTrue();
        assertThat(budget.tryReserve(100, true)).as("bulk beyond three quarters").isFalse();
        assertThat(budget.tryReserve(250, false)).as("small, within the whole").isTrue();
        assertThat(budget.tryReserve(100, false)).as("beyond the whole").isFalse();
        budget.release(700);
        budget.release(250);
        assertThat(budget.used()).isZero();
        assertThatThrownBy(() -> budget.release(1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anUnfinishedMessageHoldsAtMostTheLimitAndReleasesItWhenDoneOrTooLarge() {
        MemoryBudget budget = new MemoryBudget(1 << 20);
        MessageAssembler assembler = new MessageAssembler(100, budget);
        assertThat(assembler.append("a".repeat(60), false)).isEqualTo(MessageAssembler.Result.INCOMPLETE);
        assertThat(budget.used()).isEqualTo(60);
        assertThat(assembler.append("b".repeat(30), true)).isEqualTo(MessageAssembler.Result.COMPLETE);
        assertThat(assembler.take()).hasSize(90);
        assertThat(budget.used()).isZero();

        assertThat(assembler.append("c".repeat(90), false)).isEqualTo(MessageAssembler.Result.INCOMPLETE);
        assertThat(assembler.append("d".repeat(90), false)).as("over the limit: dropped, counted")
                .isEqualTo(MessageAssembler.Result.INCOMPLETE);
        assertThat(budget.used()).isZero();
        assertThat(assembler.append("e", true)).isEqualTo(MessageAssembler.Result.TOO_LARGE);
        assertThat(assembler.lastMessageBytes()).isEqualTo(181);

        assertThat(assembler.append("f".repeat(401), false)).isEqualTo(MessageAssembler.Result.FAR_TOO_LARGE);
        assertThat(budget.used()).isZero();
    }

    @Test
    void anUnfinishedMessageThatDoesNotFitTheBudgetEndsItsConnection() {
        MemoryBudget budget = new MemoryBudget(100);
        MessageAssembler assembler = new MessageAssembler(1000, budget);
        assertThat(assembler.append("a".repeat(101), false)).isEqualTo(MessageAssembler.Result.NO_BUDGET);
        assertThat(budget.used()).isZero();
    }

    @Test
    void utf8LengthsAgreeWithTheEncoder() {
        for (String text : new String[] {"", "ascii", "é", "€uro", "😀 emoji", "mixed é€😀 text"}) {
            assertThat(Utf8.length(text)).as(text).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
        }
        assertThat(Utf8.length("\uD800")).as("a lone surrogate, as the replacement character").isEqualTo(3);
    }
}
