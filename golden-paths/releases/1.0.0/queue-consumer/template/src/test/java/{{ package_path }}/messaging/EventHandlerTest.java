package {{ java_package }}.messaging;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.InjectMocks;
import org.mockito.Mock;
import org.mockito.junit.jupiter.MockitoExtension;

@ExtendWith(MockitoExtension.class)
class EventHandlerTest {

    @Mock
    private ProcessedMessages processedMessages;

    @Mock
    private ConsumerMetrics metrics;

    @InjectMocks
    private EventHandler handler;

    @Test
    void handlesANewMessageOnce() {
        when(processedMessages.markProcessed("m-1")).thenReturn(true);

        handler.handle("m-1", "{\"id\": 1}");

        verify(metrics).processed();
    }

    @Test
    void skipsADuplicate() {
        when(processedMessages.markProcessed("m-1")).thenReturn(false);

        handler.handle("m-1", "{\"id\": 1}");

        verify(metrics).duplicate();
        verify(metrics, never()).processed();
    }

    @Test
    void rejectsAnEmptyMessageWithoutRecordingIt() {
        assertThatThrownBy(() -> handler.handle("m-2", " ")).isInstanceOf(InvalidMessageException.class);

        verify(processedMessages, never()).markProcessed("m-2");
    }
}
