package org.moelab.kernel.wire;

import io.github.spencerpark.jupyter.kernel.LanguageInfo;
import io.github.spencerpark.jupyter.messages.reply.CommInfoReply;
import io.github.spencerpark.jupyter.messages.reply.KernelInfoReply;
import java.util.List;
import java.util.Map;

/**
 * Reply contents with the {@code status} field the protocol asks of every reply (basekernel 2.3.0 omits it from
 * kernel_info, comm_info, interrupt and shutdown replies), and the {@code aborted} execute reply.
 */
public final class Replies {
    private Replies() {
    }

    public static final class KernelInfo extends KernelInfoReply {
        @SuppressWarnings("unused")
        private final String status = "ok";

        public KernelInfo(String protocolVersion, String implementation, String implementationVersion,
                LanguageInfo languageInfo, String banner, List<LanguageInfo.Help> helpLinks) {
            super(protocolVersion, implementation, implementationVersion, languageInfo, banner, helpLinks);
        }
    }

    public static final class CommInfo extends CommInfoReply {
        @SuppressWarnings("unused")
        private final String status = "ok";

        public CommInfo(Map<String, CommInfoReply.CommInfo> comms) {
            super(comms);
        }
    }

    /** interrupt_reply. */
    public static final class Ok {
        @SuppressWarnings("unused")
        private final String status = "ok";
    }

    /** shutdown_reply. */
    public static final class Shutdown {
        @SuppressWarnings("unused")
        private final String status = "ok";
        @SuppressWarnings("unused")
        private final boolean restart;

        public Shutdown(boolean restart) {
            this.restart = restart;
        }
    }

    /** execute_reply for a request skipped after an earlier cell failed with stop_on_error (ipykernel's wording). */
    public static final class Aborted {
        @SuppressWarnings("unused")
        private final String status = "aborted";
    }
}
